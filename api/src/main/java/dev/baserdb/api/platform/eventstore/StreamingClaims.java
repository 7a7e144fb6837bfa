package dev.baserdb.api.platform.eventstore;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The orderly stop of this node's streaming (asynchronous) event processors: each is shut down and
 * waited for, then any claim on its segments still in this node's name is released, so another
 * node takes the segments over at once instead of after the claim timeout. A processor busy with a
 * batch when the stop came can leave its claim behind otherwise (seen under load in the fault
 * harness). Inline processors are left alone: requests still in flight need them.
 */
@Component
public class StreamingClaims {

    private static final Logger log = LoggerFactory.getLogger(StreamingClaims.class);

    private final EventProcessingConfiguration processing;
    private final TokenStore tokens;
    private final TransactionManager transactions;

    StreamingClaims(EventProcessingConfiguration processing, TokenStore tokens, TransactionManager transactions) {
        this.processing = processing;
        this.tokens = tokens;
        this.transactions = transactions;
    }

    /** Stops every streaming processor of this node and releases what it still claims. */
    public void stopAndRelease() {
        processing.eventProcessors().values().forEach(processor -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                try {
                    streaming.shutDown();
                    transactions.executeInTransaction(() -> {
                        for (int segment : tokens.fetchSegments(streaming.getName())) {
                            tokens.releaseClaim(streaming.getName(), segment);
                        }
                    });
                } catch (RuntimeException e) {
                    log.warn("Could not release the claims of {} at stop: {}", streaming.getName(), e.getMessage());
                }
            }
        });
    }
}
