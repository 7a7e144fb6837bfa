package dev.baserdb.projection.identity;

import dev.baserdb.kernel.identity.SessionEvents.SessionPurged;
import dev.baserdb.kernel.identity.SessionEvents.SessionRefreshReuseDetected;
import dev.baserdb.kernel.identity.SessionEvents.SessionRefreshed;
import dev.baserdb.kernel.identity.SessionEvents.SessionRevoked;
import dev.baserdb.kernel.identity.SessionEvents.SessionStarted;
import dev.baserdb.kernel.identity.UserEvents.UserErased;
import dev.baserdb.kernel.privacy.PersonalData;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.time.Instant;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.schema.Tables.REFRESH_TOKENS;
import static dev.baserdb.kernel.readmodel.schema.Tables.SESSIONS;

/**
 * The sessions read model and the index of every refresh token hash a session issued. Inline, so
 * a revocation takes effect for the very next request.
 */
@Component
@ProcessingGroup(SessionProjection.GROUP)
class SessionProjection {

    static final String GROUP = "sessions";

    private final DSLContext db;
    private final PersonalData personalData;

    SessionProjection(DSLContext db, PersonalData personalData) {
        this.db = db;
        this.personalData = personalData;
    }

    @EventHandler
    void on(SessionStarted event, @SequenceNumber long version, @Timestamp Instant at) {
        db.insertInto(SESSIONS)
                .set(SESSIONS.ID, event.sessionId().value())
                .set(SESSIONS.USER_ID, event.userId().value())
                .set(SESSIONS.REFRESH_TOKEN_HASH, event.refreshTokenHash())
                .set(SESSIONS.USER_AGENT, personalData.open(event.userAgent()).orElse(null))
                .set(SESSIONS.IP, personalData.open(event.ip()).orElse(null))
                .set(SESSIONS.CREATED_AT, utc(at))
                .set(SESSIONS.LAST_USED_AT, utc(at))
                .set(SESSIONS.EXPIRES_AT, utc(event.expiresAt()))
                .set(SESSIONS.VERSION, version)
                .onConflict(SESSIONS.ID).doNothing()
                .execute();
        rememberToken(event.refreshTokenHash(), event.sessionId().value());
    }

    @EventHandler
    void on(SessionRefreshed event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(SESSIONS)
                .set(SESSIONS.REFRESH_TOKEN_HASH, event.refreshTokenHash())
                .set(SESSIONS.LAST_USED_AT, utc(at))
                .set(SESSIONS.EXPIRES_AT, utc(event.expiresAt()))
                .set(SESSIONS.VERSION, version)
                .where(SESSIONS.ID.eq(event.sessionId().value())).and(SESSIONS.VERSION.lt(version))
                .execute();
        rememberToken(event.refreshTokenHash(), event.sessionId().value());
    }

    @EventHandler
    void on(SessionRefreshReuseDetected event, @SequenceNumber long version) {
        db.update(SESSIONS)
                .set(SESSIONS.VERSION, version)
                .where(SESSIONS.ID.eq(event.sessionId().value())).and(SESSIONS.VERSION.lt(version))
                .execute();
    }

    @EventHandler
    void on(SessionRevoked event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(SESSIONS)
                .set(SESSIONS.REVOKED_AT, utc(at))
                .set(SESSIONS.REVOKE_REASON, event.reason())
                .set(SESSIONS.VERSION, version)
                .where(SESSIONS.ID.eq(event.sessionId().value())).and(SESSIONS.VERSION.lt(version))
                .execute();
    }

    /** A purged (expired) session leaves the read model with its refresh tokens; its events stay. */
    @EventHandler
    void on(SessionPurged event) {
        db.deleteFrom(REFRESH_TOKENS).where(REFRESH_TOKENS.SESSION_ID.eq(event.sessionId().value())).execute();
        db.deleteFrom(SESSIONS).where(SESSIONS.ID.eq(event.sessionId().value())).execute();
    }

    /** An erased user's sessions keep their ids and times, not where they came from. */
    @EventHandler
    void on(UserErased event) {
        db.update(SESSIONS)
                .set(SESSIONS.USER_AGENT, (String) null)
                .set(SESSIONS.IP, (String) null)
                .where(SESSIONS.USER_ID.eq(event.userId().value()))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(REFRESH_TOKENS).execute();
        db.deleteFrom(SESSIONS).execute();
    }

    private void rememberToken(String tokenHash, String sessionId) {
        db.insertInto(REFRESH_TOKENS)
                .set(REFRESH_TOKENS.TOKEN_HASH, tokenHash)
                .set(REFRESH_TOKENS.SESSION_ID, sessionId)
                .onConflict(REFRESH_TOKENS.TOKEN_HASH).doNothing()
                .execute();
    }

}
