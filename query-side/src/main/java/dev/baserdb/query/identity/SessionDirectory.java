package dev.baserdb.query.identity;

import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.schema.Tables.REFRESH_TOKENS;
import static dev.baserdb.kernel.readmodel.schema.Tables.SESSIONS;

/** Reads sessions and the refresh-token index from the sessions read model. */
@Service
public class SessionDirectory {

    private final DSLContext db;

    public SessionDirectory(DSLContext db) {
        this.db = db;
    }

    public Optional<SessionView> findById(String sessionId) {
        return db.selectFrom(SESSIONS).where(SESSIONS.ID.eq(sessionId))
                .fetchOptional().map(SessionDirectory::toView);
    }

    /** The session that issued this refresh token hash, current or rotated. */
    public Optional<String> sessionIdForRefreshTokenHash(String tokenHash) {
        return db.select(REFRESH_TOKENS.SESSION_ID).from(REFRESH_TOKENS)
                .where(REFRESH_TOKENS.TOKEN_HASH.eq(tokenHash))
                .fetchOptional(REFRESH_TOKENS.SESSION_ID);
    }

    /** The user's sessions that are neither revoked nor expired, newest first. */
    public List<SessionView> activeSessionsOf(String userId) {
        return db.selectFrom(SESSIONS)
                .where(SESSIONS.USER_ID.eq(userId))
                .and(SESSIONS.REVOKED_AT.isNull())
                .and(SESSIONS.EXPIRES_AT.gt(org.jooq.impl.DSL.currentOffsetDateTime()))
                .orderBy(SESSIONS.CREATED_AT.desc(), SESSIONS.ID.desc())
                .fetch(SessionDirectory::toView);
    }

    /** Active sessions (not revoked, not expired at {@code now}) of every user, or of one, newest first. */
    public Page<SessionView> activeSessions(String userId, java.time.Instant now, PageRequest page) {
        org.jooq.Condition condition = SESSIONS.REVOKED_AT.isNull()
                .and(SESSIONS.EXPIRES_AT.gt(java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)));
        if (userId != null) {
            condition = condition.and(SESSIONS.USER_ID.eq(userId));
        }
        long total = db.fetchCount(SESSIONS, condition);
        List<SessionView> items = db.selectFrom(SESSIONS).where(condition)
                .orderBy(SESSIONS.CREATED_AT.desc(), SESSIONS.ID.desc())
                .limit(page.limit()).offset(page.offset())
                .fetch(SessionDirectory::toView);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    /** Ids of sessions expired at {@code now} (revoked or not), at most {@code limit}, oldest expiry first. */
    public List<String> expiredSessionIds(java.time.Instant now, int limit) {
        return db.select(SESSIONS.ID).from(SESSIONS)
                .where(SESSIONS.EXPIRES_AT.le(java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)))
                .orderBy(SESSIONS.EXPIRES_AT.asc())
                .limit(limit)
                .fetch(SESSIONS.ID);
    }

    private static SessionView toView(Record r) {
        return new SessionView(
                r.get(SESSIONS.ID),
                r.get(SESSIONS.USER_ID),
                r.get(SESSIONS.USER_AGENT),
                r.get(SESSIONS.IP),
                instant(r.get(SESSIONS.CREATED_AT)),
                instant(r.get(SESSIONS.LAST_USED_AT)),
                instant(r.get(SESSIONS.EXPIRES_AT)),
                instant(r.get(SESSIONS.REVOKED_AT)),
                r.get(SESSIONS.REVOKE_REASON));
    }
}
