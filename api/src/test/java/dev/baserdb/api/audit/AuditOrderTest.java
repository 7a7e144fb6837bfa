package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit chain is in global-index order even when events commit out of order (issue 16): an
 * event whose transaction is still open holds back the entries of later events until it commits,
 * and an index whose transaction rolled back holds nothing back once that transaction has ended.
 * What holds entries back is the appenders in flight ({@code event_appenders()}): a transaction
 * that may still commit an event is among them whatever its transaction id.
 *
 * <p>The seam: this test locks a managed table, so a write to it stops inside its transaction after
 * its event took its global index and before it commits, for exactly as long as the test needs.
 */
@ApiTest
class AuditOrderTest {

    @LocalServerPort
    int port;

    private Http service;
    private String project;
    private String organization;
    private Http owner;

    @BeforeEach
    void aProjectWithTables() {
        Http http = new Http(port);
        Accounts.Account account = new Accounts(http).anAccount();
        Tenancy tenancy = new Tenancy(http);
        organization = tenancy.anOrganization(account);
        Tenancy.Project created = tenancy.aProject(account, organization);
        project = created.id();
        owner = http.bearer(account.accessToken());
        service = new TableFixtures(http).serviceKey(created.serviceKey());
    }

    @Test
    void given_an_event_that_commits_after_a_later_one_when_the_trail_catches_up_then_its_entry_comes_first()
            throws Exception {
        JsonNode slow = createTable("slow");
        createTable("fast");
        String physical = "\"" + schemaOf(slow) + "\".\"slow\"";
        CompletableFuture<Http.Response> held;
        long fastIndex;
        try (Connection lock = TestDatabase.connect()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE " + physical + " IN ACCESS EXCLUSIVE MODE");
            }
            held = CompletableFuture.supplyAsync(() -> service.post(rows("slow"), Http.json("body", "first")));
            await("the slow write waiting inside its transaction").atMost(Duration.ofSeconds(30))
                    .until(() -> AuditTrail.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock' AND query ILIKE '%slow%'") == 1);
            ok(service.post(rows("fast"), Http.json("body", "second")));
            fastIndex = AuditTrail.count("SELECT max(globalindex) FROM domainevententry");

            await("the audit processor past the later event").atMost(AuditTrail.CATCH_UP)
                    .until(() -> AuditTrail.count("SELECT count(*) FROM audit_pending WHERE global_index = ?", fastIndex)
                            + AuditTrail.count("SELECT count(*) FROM audit_entries WHERE global_index = ?", fastIndex) == 1);
            // for several rounds of the job that settles held entries (every 200 ms)
            await("the later event's entry waits while the earlier index may still commit")
                    .during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> AuditTrail.count("SELECT count(*) FROM audit_entries WHERE global_index = ?",
                            fastIndex) == 0);
            lock.rollback();
        }
        assertThat(held.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
        AuditTrail.awaitCaughtUp();

        long slowIndex = AuditTrail.count("SELECT max(d.globalindex) FROM domainevententry d WHERE d.globalindex < ?"
                + " AND convert_from(d.payload, 'UTF8') LIKE '%first%'", fastIndex);
        assertThat(sequenceOf(slowIndex)).as("the earlier index's entry comes first in the chain")
                .isLessThan(sequenceOf(fastIndex));
        assertThat(AuditTrail.strings("SELECT 'index ' || global_index || ' at sequence ' || sequence || ' after index '"
                + " || previous FROM (SELECT sequence, global_index, lag(global_index) OVER (ORDER BY sequence) AS previous"
                + " FROM audit_entries) chain WHERE previous > global_index"))
                .as("entries out of global-index order in the whole chain").isEmpty();
        assertThat(ok(owner.get("/api/v1/audit/verify?organization_id=" + organization)).path("verified").asBoolean())
                .isTrue();
    }

    @Test
    void given_an_index_whose_transaction_rolled_back_when_later_events_come_then_their_entries_are_not_held()
            throws Exception {
        createTable("codes", unique("code", "TEXT"));
        ok(service.post(rows("codes"), Http.json("code", "A")));
        Http.Response duplicate = service.post(rows("codes"), Http.json("code", "A"));
        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
        long committed = AuditTrail.count("SELECT max(globalindex) FROM domainevententry");
        assertThat(AuditTrail.count("SELECT last_value FROM " + eventSequence()))
                .as("the refused write drew a global index that will never commit").isGreaterThan(committed);

        ok(service.post(rows("codes"), Http.json("code", "B")));

        AuditTrail.awaitCaughtUp();
        await("nothing held back").atMost(AuditTrail.CATCH_UP)
                .until(() -> AuditTrail.count("SELECT count(*) FROM audit_pending") == 0);
        assertThat(ok(owner.get("/api/v1/audit/verify?organization_id=" + organization)).path("verified").asBoolean())
                .isTrue();
    }

    @Test
    void given_a_transaction_that_took_its_id_before_another_and_its_index_after_when_the_other_commits_then_it_is_awaited()
            throws Exception {
        try (Connection earlier = TestDatabase.connect(); Connection appender = TestDatabase.connect()) {
            earlier.setAutoCommit(false);
            appender.setAutoCommit(false);
            long earlierId = Long.parseLong(value(earlier, "SELECT pg_current_xact_id()"));
            try (PreparedStatement append = appender.prepareStatement("INSERT INTO domainevententry "
                    + "(aggregateidentifier, sequencenumber, type, eventidentifier, payload, payloadtype, timestamp) "
                    + "VALUES (?, 0, 'Test', ?, '{}'::bytea, 'test.AuditOrder', '2026-12-01T00:00:00.000Z')")) {
                append.setString(1, UUID.randomUUID().toString());
                append.setString(2, UUID.randomUUID().toString());
                append.executeUpdate();
            }
            long appenderId = Long.parseLong(value(appender, "SELECT pg_current_xact_id()"));
            String appenderTransaction = value(appender, "SELECT virtualtransaction FROM pg_locks"
                    + " WHERE locktype = 'virtualxid' AND pid = pg_backend_pid()");
            earlier.commit();
            assertThat(appenderId).as("the appender's transaction id").isGreaterThan(earlierId);

            // Once the earlier transaction has committed, and until a transaction newer than the appender's
            // completes, no snapshot lists the appender as in progress: the appenders are found by their lock.
            String appenders = AuditTrail.strings("SELECT event_appenders()::text").get(0);
            assertThat(appenders).as("the appenders in flight").contains(appenderTransaction);
            assertThat(AuditTrail.strings("SELECT event_appenders_remain(?::text[])::text", appenders))
                    .containsExactly("true");

            appender.rollback();
            assertThat(AuditTrail.strings("SELECT event_appenders_remain(?::text[])::text", appenders))
                    .as("the appender has ended").containsExactly("false");
        }
    }

    /** The one value {@code sql} selects on {@code connection}, in its transaction, as text. */
    private static String value(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as(sql).isTrue();
            return result.getString(1);
        }
    }

    private JsonNode createTable(String name, com.fasterxml.jackson.databind.node.ObjectNode... columns) {
        return ok(owner.post("/api/v1/tables", TableFixtures.tableRequest(project, name,
                columns.length == 0 ? new com.fasterxml.jackson.databind.node.ObjectNode[]{column("body", "TEXT")}
                        : columns)));
    }

    private String rows(String table) {
        return "/api/v1/data/" + project + "/" + table;
    }

    private static String schemaOf(JsonNode table) {
        return AuditTrail.strings("SELECT schema_name FROM table_versions WHERE id = ? AND valid_to IS NULL",
                table.path("id").asText()).get(0);
    }

    private static long sequenceOf(long globalIndex) {
        return AuditTrail.count("SELECT sequence FROM audit_entries WHERE global_index = ?", globalIndex);
    }

    private static String eventSequence() {
        return AuditTrail.strings("SELECT pg_get_serial_sequence('domainevententry', 'globalindex')").get(0);
    }
}
