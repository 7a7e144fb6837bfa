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
import java.time.OffsetDateTime;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.IdentityTables.RefreshTokens;
import static dev.baserdb.kernel.readmodel.IdentityTables.Sessions;

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
        db.insertInto(Sessions.TABLE)
                .set(Sessions.ID, event.sessionId().value())
                .set(Sessions.USER_ID, event.userId().value())
                .set(Sessions.REFRESH_TOKEN_HASH, event.refreshTokenHash())
                .set(Sessions.USER_AGENT, personalData.open(event.userAgent()).orElse(null))
                .set(Sessions.IP, personalData.open(event.ip()).orElse(null))
                .set(Sessions.CREATED_AT, utc(at))
                .set(Sessions.LAST_USED_AT, utc(at))
                .set(Sessions.EXPIRES_AT, utc(event.expiresAt()))
                .set(Sessions.VERSION, version)
                .onConflict(Sessions.ID).doNothing()
                .execute();
        rememberToken(event.refreshTokenHash(), event.sessionId().value());
    }

    @EventHandler
    void on(SessionRefreshed event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(Sessions.TABLE)
                .set(Sessions.REFRESH_TOKEN_HASH, event.refreshTokenHash())
                .set(Sessions.LAST_USED_AT, utc(at))
                .set(Sessions.EXPIRES_AT, utc(event.expiresAt()))
                .set(Sessions.VERSION, version)
                .where(Sessions.ID.eq(event.sessionId().value())).and(Sessions.VERSION.lt(version))
                .execute();
        rememberToken(event.refreshTokenHash(), event.sessionId().value());
    }

    @EventHandler
    void on(SessionRefreshReuseDetected event, @SequenceNumber long version) {
        db.update(Sessions.TABLE)
                .set(Sessions.VERSION, version)
                .where(Sessions.ID.eq(event.sessionId().value())).and(Sessions.VERSION.lt(version))
                .execute();
    }

    @EventHandler
    void on(SessionRevoked event, @SequenceNumber long version, @Timestamp Instant at) {
        db.update(Sessions.TABLE)
                .set(Sessions.REVOKED_AT, utc(at))
                .set(Sessions.REVOKE_REASON, event.reason())
                .set(Sessions.VERSION, version)
                .where(Sessions.ID.eq(event.sessionId().value())).and(Sessions.VERSION.lt(version))
                .execute();
    }

    /** A purged (expired) session leaves the read model with its refresh tokens; its events stay. */
    @EventHandler
    void on(SessionPurged event) {
        db.deleteFrom(RefreshTokens.TABLE).where(RefreshTokens.SESSION_ID.eq(event.sessionId().value())).execute();
        db.deleteFrom(Sessions.TABLE).where(Sessions.ID.eq(event.sessionId().value())).execute();
    }

    /** An erased user's sessions keep their ids and times, not where they came from. */
    @EventHandler
    void on(UserErased event) {
        db.update(Sessions.TABLE)
                .set(Sessions.USER_AGENT, (String) null)
                .set(Sessions.IP, (String) null)
                .where(Sessions.USER_ID.eq(event.userId().value()))
                .execute();
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(RefreshTokens.TABLE).execute();
        db.deleteFrom(Sessions.TABLE).execute();
    }

    private void rememberToken(String tokenHash, String sessionId) {
        db.insertInto(RefreshTokens.TABLE)
                .set(RefreshTokens.TOKEN_HASH, tokenHash)
                .set(RefreshTokens.SESSION_ID, sessionId)
                .onConflict(RefreshTokens.TOKEN_HASH).doNothing()
                .execute();
    }

}
