package dev.baserdb.command.identity;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.identity.SessionCommands.PurgeSession;
import dev.baserdb.kernel.identity.SessionEvents.SessionPurged;
import dev.baserdb.kernel.identity.SessionCommands.RefreshOutcome;
import dev.baserdb.kernel.identity.SessionCommands.RefreshSession;
import dev.baserdb.kernel.identity.SessionCommands.RevokeSession;
import dev.baserdb.kernel.identity.SessionCommands.StartSession;
import dev.baserdb.kernel.identity.SessionEvents.SessionRefreshReuseDetected;
import dev.baserdb.kernel.identity.SessionEvents.SessionRefreshed;
import dev.baserdb.kernel.identity.SessionEvents.SessionRevoked;
import dev.baserdb.kernel.identity.SessionEvents.SessionStarted;
import dev.baserdb.kernel.id.SessionId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A login session and its rotating refresh token. Every token it ever issued is remembered (as a
 * hash), so a rotated token presented again is recognised as reuse and revokes the session.
 */
@Aggregate
class Session {

    static final String REASON_REFRESH_REUSE = "refresh_token_reuse";

    @AggregateIdentifier
    private SessionId sessionId;
    private UserId userId;
    private String currentTokenHash;
    private final Set<String> rotatedTokenHashes = new HashSet<>();
    private Instant expiresAt;
    private boolean revoked;
    private boolean purged;

    Session() {
        // for Axon
    }

    @CommandHandler
    Session(StartSession command) {
        apply(new SessionStarted(command.sessionId(), command.userId(), command.refreshTokenHash(),
                command.expiresAt(), command.userAgent(), command.ip()));
    }

    /**
     * Decides a refresh. It never throws once it has decided, because an exception would roll back
     * the reuse detection and the revocation with it.
     */
    @CommandHandler
    RefreshOutcome handle(RefreshSession command) {
        if (revoked || !GenericEventMessage.clock.instant().isBefore(expiresAt)) {
            return RefreshOutcome.INACTIVE;
        }
        if (command.presentedTokenHash().equals(currentTokenHash)) {
            apply(new SessionRefreshed(sessionId, userId, currentTokenHash, command.newTokenHash(),
                    command.newExpiresAt()));
            return RefreshOutcome.ROTATED;
        }
        if (rotatedTokenHashes.contains(command.presentedTokenHash())) {
            apply(new SessionRefreshReuseDetected(sessionId, userId, command.presentedTokenHash()));
            apply(new SessionRevoked(sessionId, userId, REASON_REFRESH_REUSE));
            return RefreshOutcome.REUSE_DETECTED;
        }
        return RefreshOutcome.INACTIVE;
    }

    @CommandHandler
    void handle(RevokeSession command) {
        if (!revoked) {
            apply(new SessionRevoked(sessionId, userId, command.reason()));
        }
    }

    @CommandHandler
    void handle(PurgeSession command) {
        if (purged) {
            throw BaserDbException.notFound("Session");
        }
        if (command.at().isBefore(expiresAt)) {
            throw BaserDbException.conflict("The session has not expired yet");
        }
        apply(new SessionPurged(sessionId, userId));
    }

    @EventSourcingHandler
    void on(SessionPurged event) {
        purged = true;
        revoked = true;
    }

    @EventSourcingHandler
    void on(SessionStarted event) {
        sessionId = event.sessionId();
        userId = event.userId();
        currentTokenHash = event.refreshTokenHash();
        expiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(SessionRefreshed event) {
        rotatedTokenHashes.add(event.previousTokenHash());
        currentTokenHash = event.refreshTokenHash();
        expiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(SessionRevoked event) {
        revoked = true;
    }
}
