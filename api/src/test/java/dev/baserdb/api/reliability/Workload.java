package dev.baserdb.api.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The load of the fault tests and the ledger of what it was told: writers insert rows (singly and
 * in batches of five) into one managed table, each row with a number no other row has, and record
 * every number as acknowledged (2xx) or unanswered (an error, or the connection lost). The checks
 * then read the database itself: each acknowledged row once in the data table, the history table,
 * the event store and the audit trail; each unanswered one wholly there or wholly absent; nothing
 * that was never sent; the audit trail verified.
 */
final class Workload {

    private static final int BATCH = 5;

    private final String database;
    private final String ownerToken;
    private final String organization;
    private final String project;
    private final String serviceKey;
    private final String dataTable;
    private final String historyTable;
    final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    final Set<Long> uncertain = ConcurrentHashMap.newKeySet();
    private final AtomicLong series = new AtomicLong();

    private Workload(String database, String ownerToken, String organization, String project, String serviceKey,
                     String dataTable, String historyTable) {
        this.database = database;
        this.ownerToken = ownerToken;
        this.organization = organization;
        this.project = project;
        this.serviceKey = serviceKey;
        this.dataTable = dataTable;
        this.historyTable = historyTable;
    }

    /** An account, organization, project and table made through {@code node}. */
    static Workload prepare(String database, Http node) throws SQLException {
        Accounts.Account account = new Accounts(node).anAccount();
        Http owner = node.bearer(account.accessToken());
        Tenancy tenancy = new Tenancy(node);
        String organization = tenancy.anOrganization(account);
        Tenancy.Project project = tenancy.aProject(account, organization);
        JsonNode table = ok(owner.post("/api/v1/tables", TableFixtures.tableRequest(project.id(), "acks",
                column("writer", "INT"), column("n", "BIGINT"))));
        String id = table.path("id").asText();
        String schema;
        try (Connection c = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             PreparedStatement s = c.prepareStatement(
                     "SELECT schema_name FROM table_versions WHERE id = ? AND valid_to IS NULL")) {
            s.setString(1, id);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                schema = rows.getString(1);
            }
        }
        return new Workload(database, account.accessToken(), organization, project.id(), project.serviceKey(),
                "\"" + schema + "\".\"acks\"", "\"" + schema + "\".\"h_" + id.substring(id.indexOf('_') + 1) + "\"");
    }

    String organization() {
        return organization;
    }

    /** Writers sending each request to the node {@code target} gives; running until closed. */
    Writers writers(int count, Supplier<Http> target) {
        return new Writers(count, target);
    }

    /** Waits until {@code more} further writes have been acknowledged. */
    void awaitAcknowledged(int more) {
        int target = acknowledged.size() + more;
        await(target + " acknowledged writes").atMost(Duration.ofSeconds(180)).until(() -> acknowledged.size() >= target);
    }

    /** The checks after an ordeal (the audit trail given time to catch up); {@code via} answers verify. */
    void assertExactlyOnce(Http via) throws SQLException {
        Map<Long, Long> rows = new HashMap<>();
        query("SELECT n, count(*) FROM " + dataTable + " GROUP BY n", row -> rows.put(row.getLong(1), row.getLong(2)));
        for (Long n : acknowledged) {
            assertThat(rows.get(n)).as("acknowledged row " + n).isEqualTo(1L);
        }
        rows.forEach((n, copies) -> {
            assertThat(copies).as("copies of row " + n).isEqualTo(1L);
            assertThat(acknowledged.contains(n) || uncertain.contains(n)).as("row " + n + " was sent").isTrue();
        });
        long inserted = rows.size();
        assertThat(count("SELECT count(*) FROM " + historyTable + " WHERE operation = 'insert'"))
                .as("history versions of the inserts").isEqualTo(inserted);
        assertThat(count("SELECT count(DISTINCT event_id) FROM " + historyTable)).isEqualTo(inserted);
        assertThat(count("SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%RowInserted'"))
                .as("RowInserted events").isEqualTo(inserted);
        assertThat(count("SELECT count(*) FROM " + historyTable + " h WHERE NOT EXISTS (SELECT 1 FROM domainevententry d"
                + " WHERE d.eventidentifier = h.event_id)")).as("history versions without their event").isZero();

        await("the audit trail caught up").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM domainevententry d WHERE NOT EXISTS"
                        + " (SELECT 1 FROM audit_entries a WHERE a.global_index = d.globalindex)") == 0);
        assertThat(count("SELECT count(*) FROM audit_entries")).as("one audit entry per event")
                .isEqualTo(count("SELECT count(*) FROM domainevententry"));
        JsonNode verification = ok(via.bearer(ownerToken).get("/api/v1/audit/verify?organization_id=" + organization));
        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
    }

    /** The owner of the audit processor's claim ({@code <pid>@<host>}), or null when none holds it. */
    String auditOwner() throws SQLException {
        String[] owner = new String[1];
        query("SELECT owner FROM tokenentry WHERE processorname = 'audit' AND segment = 0", row -> owner[0] = row.getString(1));
        return owner[0];
    }

    /** Waits until some node holds the audit processor's claim. */
    void awaitAuditOwner() {
        await("a node holding the audit claim").atMost(Duration.ofSeconds(120)).until(() -> auditOwner() != null);
    }

    interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    void query(String sql, RowReader reader) throws SQLException {
        try (Connection c = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             var s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                reader.read(rows);
            }
        }
    }

    long count(String sql) throws SQLException {
        long[] value = new long[1];
        query(sql, row -> value[0] = row.getLong(1));
        return value[0];
    }

    /** Writers inserting rows and batches until closed; paused while their nodes are down. */
    final class Writers implements AutoCloseable {

        private final ExecutorService pool;
        private final List<Future<?>> running = new ArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicBoolean up = new AtomicBoolean(true);

        private Writers(int count, Supplier<Http> target) {
            pool = Executors.newFixedThreadPool(count);
            for (int w = 0; w < count; w++) {
                long base = series.incrementAndGet() * 1_000_000_000L;
                int writer = w;
                running.add(pool.submit(() -> write(writer, base, target)));
            }
        }

        private Void write(int writer, long base, Supplier<Http> target) {
            String rows = "/api/v1/data/" + project + "/acks";
            for (long i = 0; !stop.get(); i++) {
                if (!up.get()) {
                    await().atMost(Duration.ofSeconds(300)).until(() -> up.get() || stop.get());
                    continue;
                }
                List<Long> numbers = new ArrayList<>();
                int count = i % 4 == 3 ? BATCH : 1;
                for (int j = 0; j < count; j++) {
                    numbers.add(base + i * BATCH + j);
                }
                boolean ok;
                try {
                    Http node = target.get().with("X-API-Key", serviceKey);
                    Http.Response response = count == 1
                            ? node.post(rows, Http.json("writer", writer, "n", numbers.get(0)))
                            : node.post(rows + "/batch", numbers.stream().map(n -> Http.json("writer", writer, "n", n)).toList());
                    ok = response.status() / 100 == 2;
                } catch (RuntimeException connectionLost) {
                    ok = false;
                }
                (ok ? acknowledged : uncertain).addAll(numbers);
            }
            return null;
        }

        void pause() {
            up.set(false);
        }

        void resume() {
            up.set(true);
        }

        @Override
        public void close() throws Exception {
            stop.set(true);
            for (Future<?> writer : running) {
                writer.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }
}
