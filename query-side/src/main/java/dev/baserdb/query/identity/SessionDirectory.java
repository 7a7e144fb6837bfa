package dev.baserdb.query.identity;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.IdentityTables.RefreshTokens;
import static dev.baserdb.kernel.readmodel.IdentityTables.Sessions;

/** Reads sessions and the refresh-token index from the sessions read model. */
@Service
public class SessionDirectory {

    private final DSLContext db;

    public SessionDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<SessionView> findById(String sessionId) {
        return db.selectFrom(Sessions.TABLE).where(Sessions.ID.eq(sessionId))
                .fetchOptional().map(SessionDirectory::toView);
    }

    /** The session that issued this refresh token hash, current or rotated. */
    public Optional<String> sessionIdForRefreshTokenHash(String tokenHash) {
        return db.select(RefreshTokens.SESSION_ID).from(RefreshTokens.TABLE)
                .where(RefreshTokens.TOKEN_HASH.eq(tokenHash))
                .fetchOptional(RefreshTokens.SESSION_ID);
    }

    /** The user's sessions that are neither revoked nor expired, newest first. */
    public List<SessionView> activeSessionsOf(String userId) {
        return db.selectFrom(Sessions.TABLE)
                .where(Sessions.USER_ID.eq(userId))
                .and(Sessions.REVOKED_AT.isNull())
                .and(Sessions.EXPIRES_AT.gt(org.jooq.impl.DSL.currentOffsetDateTime()))
                .orderBy(Sessions.CREATED_AT.desc(), Sessions.ID.desc())
                .fetch(SessionDirectory::toView);
    }

    /** Active sessions (not revoked, not expired at {@code now}) of every user, or of one, newest first. */
    public Page<SessionView> activeSessions(String userId, java.time.Instant now, PageRequest page) {
        org.jooq.Condition condition = Sessions.REVOKED_AT.isNull()
                .and(Sessions.EXPIRES_AT.gt(java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)));
        if (userId != null) {
            condition = condition.and(Sessions.USER_ID.eq(userId));
        }
        long total = db.fetchCount(Sessions.TABLE, condition);
        List<SessionView> items = db.selectFrom(Sessions.TABLE).where(condition)
                .orderBy(Sessions.CREATED_AT.desc(), Sessions.ID.desc())
                .limit(page.limit()).offset(page.offset())
                .fetch(SessionDirectory::toView);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** Ids of sessions expired at {@code now} (revoked or not), at most {@code limit}, oldest expiry first. */
    public List<String> expiredSessionIds(java.time.Instant now, int limit) {
        return db.select(Sessions.ID).from(Sessions.TABLE)
                .where(Sessions.EXPIRES_AT.le(java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)))
                .orderBy(Sessions.EXPIRES_AT.asc())
                .limit(limit)
                .fetch(Sessions.ID);
    }

    private static SessionView toView(Record r) {
        return new SessionView(
                r.get(Sessions.ID),
                r.get(Sessions.USER_ID),
                r.get(Sessions.USER_AGENT),
                r.get(Sessions.IP),
                instant(r.get(Sessions.CREATED_AT)),
                instant(r.get(Sessions.LAST_USED_AT)),
                instant(r.get(Sessions.EXPIRES_AT)),
                instant(r.get(Sessions.REVOKED_AT)),
                r.get(Sessions.REVOKE_REASON));
    }
}
