package dev.baserdb.api.backup;

import org.jooq.DSLContext;
import org.postgresql.PGStatement;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * {@link ProjectEventLog} over Axon's JDBC table {@code domainevententry}: the one place backups read
 * that table. Every project-scoped event carries {@code projectId} at the top of its payload; the
 * read is ONE pass along the global index with a server-side cursor (rows arrive {@value #FETCH} at a
 * time, in binary, so payloads come as the bytes stored), PostgreSQL keeping only the events whose
 * payload holds the project's {@code "projectId":"…"} and this class confirming that it is the
 * payload's own top-level field (a row value could hold the same text).
 */
@Component
@ConditionalOnProperty(name = "baserdb.event-log", havingValue = "jdbc", matchIfMissing = true)
class JdbcProjectEventLog implements ProjectEventLog {

    /** Rows per round trip of the cursor: at most this many events are held at once. */
    private static final int FETCH = 2000;
    private static final byte[] PROJECT_ID_KEY = "projectId".getBytes(StandardCharsets.US_ASCII);
    private static final String EVENTS = "SELECT globalindex, eventidentifier, payloadtype, payloadrevision, "
            + "aggregateidentifier, type, sequencenumber, timestamp, payload, metadata FROM domainevententry "
            + "WHERE globalindex <= ? AND position(? IN payload) > 0 ";

    private final DSLContext db;
    private final TransactionTemplate transaction;

    JdbcProjectEventLog(DSLContext db, PlatformTransactionManager transactionManager) {
        this.db = db;
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setReadOnly(true);
    }

    @Override
    public long positionAt(Instant at) {
        Object position = db.fetchValue("SELECT max(globalindex) FROM domainevententry "
                + "WHERE timestamp::timestamptz <= ?::timestamptz", at.toString());
        return position instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public long head() {
        Object head = db.fetchValue("SELECT max(globalindex) FROM domainevententry");
        return head instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void forEach(String projectId, long position, Instant at, Consumer<StoredEvent> consumer) {
        byte[] id = projectId.getBytes(StandardCharsets.UTF_8);
        byte[] field = ("\"projectId\":\"" + projectId + "\"").getBytes(StandardCharsets.UTF_8);
        String sql = EVENTS + (at == null ? "" : "AND timestamp::timestamptz <= ?::timestamptz ")
                + "ORDER BY globalindex";
        // A cursor needs a transaction: the caller's (a point-in-time restore reads inside its own), or
        // a read-only one of its own for the length of the stream.
        transaction.executeWithoutResult(status -> db.connection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                // -1: a server-side prepared statement from the first execution, results in binary
                // (bytea as its bytes rather than hex text twice the size)
                statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
                statement.setFetchSize(FETCH);
                statement.setLong(1, position);
                statement.setBytes(2, field);
                if (at != null) {
                    statement.setString(3, at.toString());
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        byte[] payload = rows.getBytes(9);
                        if (!topLevelFieldIs(payload, PROJECT_ID_KEY, id)) {
                            continue;
                        }
                        consumer.accept(new StoredEvent(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5), rows.getString(6), rows.getLong(7),
                                rows.getString(8), payload, rows.getBytes(10)));
                    }
                }
            }
        }));
    }

    /**
     * The appends in flight are the transactions holding the lock an INSERT into the table takes
     * before the row gets its global index ({@code event_appenders()}, {@code V12_3__event_appenders.sql}):
     * waiting for those, and not for every transaction of the cluster (any database's, as a snapshot's
     * xmin would), keeps an unrelated long transaction elsewhere from holding the backup up.
     */
    @Override
    public void awaitInFlightAppends(Duration patience) {
        Object appenders = db.fetchValue("SELECT a::text FROM event_appenders() a WHERE cardinality(a) > 0");
        if (appenders == null) {
            return;
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            Object running = db.fetchValue("SELECT event_appenders_remain(?::text[])", appenders);
            if (!Boolean.TRUE.equals(running)) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether the JSON object {@code json} has, at its top level, the field {@code key} with the string
     * value {@code value} (both compared as the bytes written, as Jackson writes ids: no escapes). A
     * scan over the fields before it, skipping their values without parsing them; anything that is
     * not such an object answers false.
     */
    static boolean topLevelFieldIs(byte[] json, byte[] key, byte[] value) {
        try {
            int i = whitespace(json, 0);
            if (json[i] != '{') {
                return false;
            }
            i = whitespace(json, i + 1);
            while (json[i] == '"') {
                int keyEnd = stringEnd(json, i + 1);
                boolean wanted = same(json, i + 1, keyEnd, key);
                i = whitespace(json, keyEnd + 1);
                if (json[i] != ':') {
                    return false;
                }
                i = whitespace(json, i + 1);
                if (wanted) {
                    return json[i] == '"' && same(json, i + 1, stringEnd(json, i + 1), value);
                }
                i = whitespace(json, valueEnd(json, i));
                if (json[i] != ',') {
                    return false;
                }
                i = whitespace(json, i + 1);
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return false;
        }
    }

    /** The index of the closing quote of the string whose first character is at {@code i}. */
    private static int stringEnd(byte[] json, int i) {
        while (json[i] != '"') {
            i += json[i] == '\\' ? 2 : 1;
        }
        return i;
    }

    /** The index just after the value that starts at {@code i}. */
    private static int valueEnd(byte[] json, int i) {
        byte first = json[i];
        if (first == '"') {
            return stringEnd(json, i + 1) + 1;
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            do {
                byte b = json[i];
                if (b == '"') {
                    i = stringEnd(json, i + 1);
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if (b == '}' || b == ']') {
                    depth--;
                }
                i++;
            } while (depth > 0);
            return i;
        }
        while (json[i] != ',' && json[i] != '}' && json[i] != ']' && json[i] > ' ') {
            i++;
        }
        return i;
    }

    private static int whitespace(byte[] json, int i) {
        while (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t') {
            i++;
        }
        return i;
    }

    private static boolean same(byte[] json, int from, int to, byte[] expected) {
        return to - from == expected.length
                && java.util.Arrays.equals(json, from, to, expected, 0, expected.length);
    }
}
