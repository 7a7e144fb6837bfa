package dev.baserdb.api.platform.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.DirectEventProcessingStrategy;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.baserdb.api.platform.RequestContext;

/**
 * Axon on PostgreSQL: the JDBC event storage engine and token store (tables owned by Flyway), the
 * Jackson serializer's own ObjectMapper (the event format does not follow the HTTP JSON style),
 * and processing: read models are subscribing (inline, same transaction) with errors propagated,
 * so a failing projection rolls its command back. With the {@code axonserver} profile the Axon
 * Server connector provides the event store instead.
 */
@Configuration
public class EventStoreConfiguration {

    /** The ObjectMapper Axon's Jackson serializer uses for events, commands, snapshots and tokens. */
    @Bean("defaultAxonObjectMapper")
    ObjectMapper defaultAxonObjectMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .findAndRegisterModules();
    }

    /**
     * The serializer of events (Axon's Jackson serializer on the ObjectMapper above), serializing a
     * run of equal metadata once: see {@link RepeatedMetaData}. Defined here, instead of by Axon from
     * {@code axon.serializer.events}, so that the event store and every reader of stored events hold
     * the same one.
     */
    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(@Qualifier("defaultAxonObjectMapper") ObjectMapper objectMapper,
                               RevisionResolver revisionResolver) {
        return new RepeatedMetaData(objectMapper, revisionResolver);
    }

    /** Copies the request's actor, request id, IP and user agent from each command onto its events. */
    @Bean
    CorrelationDataProvider requestMetadataProvider() {
        return new SimpleCorrelationDataProvider(RequestContext.METADATA_KEYS);
    }

    /** The audit read model, kept asynchronously by a tracking processor with its token in PostgreSQL. */
    public static final String AUDIT = "audit";
    /**
     * Events the audit processor handles in one unit of work and transaction when they are there to
     * take (a replay, a catch-up); the audit projection writes a batch with a few statements, so
     * larger batches mean fewer round trips and token updates per event. Live traffic makes small
     * batches whatever this is.
     */
    static final int AUDIT_BATCH = 1000;
    /**
     * How long the audit waits at the head of the stream for the events after a new one to join its
     * batch (LingerAtHead): audit entries appear that much later, and a trickle of writes costs a
     * unit of work per few events instead of per event.
     */
    static final Duration AUDIT_LINGER = Duration.ofMillis(20);
    /**
     * Events the JDBC engine reads per query of a tracking stream (Axon's default: 100): a processor
     * that catches up or replays (the audit's) reads its events in a tenth of the queries.
     */
    static final int READ_BATCH = 1000;

    @Autowired
    void configureProcessing(EventProcessingConfigurer processing) {
        processing.registerEventProcessorFactory(EventStoreConfiguration::inlineReadModel)
                .registerDefaultListenerInvocationErrorHandler(configuration -> PropagatingErrorHandler.instance())
                // One segment: the audit chain is a single sequence, appended by one thread. A tracking
                // processor, not a pooled one: the pooled coordinator buffers at most 1,024 events for its
                // worker and, when the buffer is full, sleeps 100 ms before it reads on, which held a
                // replay or a catch-up near 10,000 events/s however fast the worker was (and it counts
                // its buffer, a linked queue, at every event: 10-14 % of a replay's samples).
                .registerEventProcessor(AUDIT, EventStoreConfiguration::audit)
                // The audit sends no message that could carry correlation data, and its projection reads
                // only the metadata values it records, from the serialized metadata.
                .registerHandlerInterceptor(AUDIT, configuration -> NoResultMessages.interceptor());
    }

    /**
     * The audit processor: one segment, batches of {@value #AUDIT_BATCH}, lingering
     * {@link #AUDIT_LINGER} at the head of the stream.
     */
    private static EventProcessor audit(String name, org.axonframework.config.Configuration configuration,
                                        EventHandlerInvoker invokers) {
        return tracking(name, configuration, invokers, TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                .andInitialSegmentsCount(1).andBatchSize(AUDIT_BATCH), AUDIT_LINGER);
    }

    /**
     * A tracking processor, built as Axon's default one, whose handlers are found by payload type
     * ({@link HandlersByType}) and which waits {@code linger} at the head of the stream for a batch
     * to form ({@link LingerAtHead}). For asynchronous read models and outboxes whose handlers read
     * every event: Axon's pooled processor spends more on each event it passes over (its coordinator
     * counts each segment's buffer, a linked queue, at every event, and asks every handler whether it
     * takes the event) than such a handler does with it.
     */
    public static EventProcessor tracking(String name, org.axonframework.config.Configuration configuration,
                                          EventHandlerInvoker invokers, TrackingEventProcessorConfiguration settings,
                                          Duration linger) {
        EventProcessingConfiguration processing = configuration.eventProcessingConfiguration();
        // its waits at the head of the stream end once it is told to stop (a replay, a shutdown)
        AtomicReference<TrackingEventProcessor> built = new AtomicReference<>();
        BooleanSupplier stopping = () -> built.get() != null && !built.get().isRunning();
        TrackingEventProcessor processor = TrackingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(new HandlersByType(invokers))
                .rollbackConfiguration(processing.rollbackConfiguration(name))
                .errorHandler(processing.errorHandler(name))
                .messageMonitor(configuration.messageMonitor(TrackingEventProcessor.class, name))
                .messageSource(new LingerAtHead(configuration.eventStore(), linger, LingerAtHead.SLEEP, System::nanoTime,
                        stopping))
                .tokenStore(processing.tokenStore(name))
                .transactionManager(processing.transactionManager(name))
                .trackingEventProcessorConfiguration(settings)
                .spanFactory(configuration.getComponent(EventProcessorSpanFactory.class))
                .build();
        built.set(processor);
        return processor;
    }

    /**
     * An inline read model: a subscribing processor, built as Axon's default one, that sees only
     * the events its handlers take ({@link HandledEvents}) and finds their handlers by payload type
     * ({@link HandlersByType}).
     */
    private static EventProcessor inlineReadModel(String name, org.axonframework.config.Configuration configuration,
                                                  EventHandlerInvoker invokers) {
        EventProcessingConfiguration processing = configuration.eventProcessingConfiguration();
        HandlersByType handlers = new HandlersByType(invokers);
        return SubscribingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(handlers)
                .rollbackConfiguration(processing.rollbackConfiguration(name))
                .errorHandler(processing.errorHandler(name))
                .messageMonitor(configuration.messageMonitor(SubscribingEventProcessor.class, name))
                .messageSource(new HandledEvents(configuration.eventBus(), handlers))
                .processingStrategy(DirectEventProcessingStrategy.INSTANCE)
                .transactionManager(processing.transactionManager(name))
                .spanFactory(configuration.getComponent(EventProcessorSpanFactory.class))
                .build();
    }

    @Configuration
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    static class JdbcEventStore {

        @Bean
        ConnectionProvider connectionProvider(DataSource dataSource) {
            return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
        }

        /** PostgreSQL's unique_violation: two appends at the same aggregate sequence. */
        @Bean
        PersistenceExceptionResolver persistenceExceptionResolver() {
            return new SQLStateResolver("23505");
        }

        @Bean
        EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                              @Qualifier("eventSerializer") Serializer eventSerializer,
                                              PersistenceExceptionResolver persistenceExceptionResolver,
                                              org.axonframework.config.Configuration configuration,
                                              ConnectionProvider connectionProvider,
                                              TransactionManager transactionManager) {
            return new PostgresEventStorageEngine(JdbcEventStorageEngine.builder()
                    .snapshotSerializer(defaultSerializer)
                    .eventSerializer(eventSerializer)
                    .upcasterChain(configuration.upcasterChain())
                    .snapshotFilter(configuration.snapshotFilter())
                    .persistenceExceptionResolver(persistenceExceptionResolver)
                    .connectionProvider(connectionProvider)
                    .transactionManager(transactionManager)
                    .schema(new EventSchema())
                    .batchSize(READ_BATCH));
        }

        @Bean
        TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer,
                              TokenStoreProperties tokenStoreProperties,
                              @org.springframework.beans.factory.annotation.Value("${baserdb.node-id:}") String nodeId) {
            JdbcTokenStore.Builder builder = JdbcTokenStore.builder()
                    .connectionProvider(connectionProvider)
                    .schema(new TokenSchema())
                    .serializer(serializer)
                    .claimTimeout(tokenStoreProperties.getClaimTimeout());
            // Token claims name their node (default: the JVM's pid@host); two nodes in one JVM need two names.
            if (!nodeId.isBlank()) {
                builder.nodeId(nodeId);
            }
            return builder.build();
        }
    }
}
