package dev.baserdb.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.PhysicalSchema;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The data plane as one unit (issue 10): table metadata is served from memory and every table,
 * column, policy and group change is seen by the very next request; batches and transactions are
 * written set-based and stay all or none; a replay of the data plane rebuilds exactly the tables the
 * set-based writes made.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneHttpTest {

    @LocalServerPort
    int port;

    private Http http;
    private Http operator;
    private Http service;
    private Accounts.Account owner;
    private Tenancy tenancy;
    private Tenancy.Project project;

    @BeforeAll
    void aProject() {
        http = new Http(port);
        owner = new Accounts(http).anAccount();
        tenancy = new Tenancy(http);
        project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        operator = http.bearer(owner.accessToken());
        service = http.with("X-API-Key", project.serviceKey());
    }

    private String aTable(String name, Object... columns) {
        return ok(operator.post("/api/v1/tables", Http.json("project_id", project.id(), "name", name,
                "columns", List.of(columns)))).path("id").asText();
    }

    private String data(String path) {
        return "/api/v1/data/" + project.id() + "/" + path;
    }

    @Test
    void given_rows_read_through_the_cache_when_a_policy_changes_then_the_next_read_follows_the_new_policy() {
        String name = unique("notes");
        String table = aTable(name, Http.json("name", "title", "type", "TEXT"), Http.json("name", "rank", "type", "INT"));
        ok(service.post(data(name) + "/batch", List.of(Http.json("title", "low", "rank", 1),
                Http.json("title", "high", "rank", 9))));
        ok(operator.put("/api/v1/tables/" + table + "/policies", List.of(Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", "rank > 5"))));
        assertThat(titles(ok(http.get(data(name))))).containsExactly("high");

        ok(operator.put("/api/v1/tables/" + table + "/policies", List.of(Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", "rank < 5"))));
        assertThat(titles(ok(http.get(data(name))))).containsExactly("low");

        ok(operator.put("/api/v1/tables/" + table + "/policies", List.of(Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", false))));
        Http.Response closed = http.get(data(name));
        assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
        assertThat(closed.data()).isEmpty();
    }

    @Test
    void given_a_table_in_use_when_a_column_is_added_or_dropped_then_the_next_write_knows_it() {
        String name = unique("items");
        String table = aTable(name, Http.json("name", "title", "type", "TEXT"));
        ok(service.post(data(name), Http.json("title", "before")));

        ok(operator.post("/api/v1/tables/" + table + "/columns", Http.json("name", "price", "type", "INT")));
        JsonNode withPrice = ok(service.post(data(name), Http.json("title", "after", "price", 3)));
        assertThat(withPrice.path("price").asInt()).isEqualTo(3);

        ok(operator.delete("/api/v1/tables/" + table + "/columns/price"));
        Http.Response refused = service.post(data(name), Http.json("title", "again", "price", 4));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body().path("error").path("details").has("price")).isTrue();
        assertThat(ok(service.get(data(name))).get(0).has("price")).isFalse();
    }

    @Test
    void given_a_table_read_through_the_cache_when_it_is_deleted_and_made_again_then_each_request_sees_which_one_exists() {
        String name = unique("gone");
        String first = aTable(name, Http.json("name", "title", "type", "TEXT"));
        ok(service.post(data(name), Http.json("title", "old")));
        ok(service.get(data(name)));

        ok(operator.delete("/api/v1/tables/" + first));
        Http.Response missing = service.get(data(name));
        assertThat(missing.status()).as(missing.toString()).isEqualTo(404);

        aTable(name, Http.json("name", "body", "type", "TEXT"));
        JsonNode row = ok(service.post(data(name), Http.json("body", "new")));
        assertThat(row.path("body").asText()).isEqualTo("new");
        assertThat(ok(service.get(data(name)))).hasSize(1);
    }

    @Test
    void given_a_table_of_a_group_read_through_the_cache_when_the_group_is_renamed_then_only_the_new_path_answers() {
        String group = tenancy.aGroup(owner, project.id());
        String groupName = ok(operator.get("/api/v1/groups/" + group)).path("name").asText();
        String name = unique("docs");
        ok(operator.post("/api/v1/tables", Http.json("project_id", project.id(), "group_id", group, "name", name,
                "columns", List.of(Http.json("name", "title", "type", "TEXT")))));
        ok(service.post(data(groupName + "." + name), Http.json("title", "kept")));

        String renamed = unique("renamed");
        ok(operator.patch("/api/v1/groups/" + group, Http.json("name", renamed)));

        Http.Response old = service.get(data(groupName + "." + name));
        assertThat(old.status()).as(old.toString()).isEqualTo(404);
        assertThat(titles(ok(service.get(data(renamed + "." + name))))).containsExactly("kept");
    }

    @Test
    void given_a_batch_whose_middle_row_breaks_a_unique_constraint_then_no_row_no_event_and_no_history_is_written() {
        String name = unique("codes");
        String table = aTable(name, Http.json("name", "code", "type", "VARCHAR(20)", "unique", true));
        ok(service.post(data(name), Http.json("code", "taken")));
        long events = PhysicalSchema.allEvents();
        long versions = historyRows(table);

        Http.Response batch = service.post(data(name) + "/batch", List.of(Http.json("code", "a"),
                Http.json("code", "taken"), Http.json("code", "b")));

        assertThat(batch.status()).as(batch.toString()).isEqualTo(409);
        assertThat(batch.errorCode()).isEqualTo("CONFLICT");
        assertThat(ok(service.get(data(name) + "?order=code.asc")).findValuesAsText("code")).containsExactly("taken");
        assertThat(PhysicalSchema.allEvents()).isEqualTo(events);
        assertThat(historyRows(table)).isEqualTo(versions);
    }

    @Test
    void given_a_transaction_whose_middle_operation_fails_then_none_of_its_writes_remain() {
        String name = unique("ledger");
        String table = aTable(name, Http.json("name", "title", "type", "TEXT"), Http.json("name", "amount", "type", "INT"));
        String existing = ok(service.post(data(name), Http.json("title", "kept", "amount", 1))).path("id").asText();
        long events = PhysicalSchema.allEvents();
        long versions = historyRows(table);

        Http.Response transaction = service.post(data("transaction"), List.of(
                Http.json("op", "insert", "table", name, "values", Http.json("title", "new", "amount", 2)),
                Http.json("op", "update", "table", name, "id", existing, "values", Http.json("amount", 5)),
                Http.json("op", "update", "table", name, "id", UUID.randomUUID().toString(),
                        "values", Http.json("amount", 7)),
                Http.json("op", "insert", "table", name, "values", Http.json("title", "late", "amount", 3))));

        assertThat(transaction.status()).as(transaction.toString()).isEqualTo(404);
        JsonNode rows = ok(service.get(data(name)));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("amount").asInt()).isEqualTo(1);
        assertThat(PhysicalSchema.allEvents()).isEqualTo(events);
        assertThat(historyRows(table)).isEqualTo(versions);
    }

    @Test
    void given_a_batch_then_every_row_comes_back_as_written_in_the_order_sent_with_one_history_version_each() {
        String name = unique("bulk");
        String table = aTable(name, Http.json("name", "title", "type", "TEXT"),
                Http.json("name", "rank", "type", "INT", "default", 7));
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(i % 2 == 0 ? Http.json("title", "row " + i, "rank", i) : Http.json("title", "row " + i));
        }

        JsonNode written = ok(service.post(data(name) + "/batch", rows));

        assertThat(written.path("inserted").asInt()).isEqualTo(500);
        for (int i = 0; i < 500; i++) {
            JsonNode row = written.path("rows").get(i);
            assertThat(row.path("title").asText()).isEqualTo("row " + i);
            assertThat(row.path("rank").asInt()).as("the column default applies to rows without it").isEqualTo(i % 2 == 0 ? i : 7);
            assertThat(row.path("created_at").asText()).isEqualTo(row.path("updated_at").asText());
        }
        assertThat(historyRows(table)).isEqualTo(500);
        assertThat(PhysicalSchema.count("SELECT count(DISTINCT event_id) FROM " + history(table)
                + " WHERE operation = 'insert' AND version = 0 AND valid_to IS NULL")).isEqualTo(500);
    }

    /**
     * After a replay the data plane is what it was, byte for byte. Two workloads share one replay (a
     * replay rebuilds every managed table of the run, which costs the most of this class): set-based
     * batches and transactions; and, since a replay takes the inserts a short way (as stored, many
     * at a time) and the other events through the handlers, inserts interleaved with updates,
     * deletes, restores, inserts under a project role, inserts into another table, and column and
     * policy changes, which must still land in their order.
     */
    @Test
    void given_set_based_writes_and_inserts_interleaved_with_other_events_when_the_data_plane_is_replayed_then_its_tables_are_identical() {
        String batched = setBasedWrites();
        String[] interleaved = interleavedWrites();
        Map<String, List<String>> before = dataPlane();
        assertThat(before).isNotEmpty();

        replayDataPlane();

        Map<String, List<String>> after = dataPlane();
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((physical, rows) -> assertThat(after.get(physical)).as(physical).containsExactlyElementsOf(rows));
        assertThat(ok(service.get(data(batched) + "?limit=1000"))).hasSize(124);
        String name = interleaved[0];
        String beside = interleaved[1];
        assertThat(titles(ok(service.get(data(name) + "?limit=1000")))).containsExactlyInAnyOrder("a", "b", "c", "single",
                "anonymous", "by the service", "anonymous too", "d", "e", "t1", "t3", "f");
        assertThat(ok(service.get(data(beside) + "?limit=1000"))).hasSize(4);
    }

    /** A table written by batches and a transaction, a column added and a row restored; returns its name. */
    private String setBasedWrites() {
        String name = unique("replayed");
        String table = aTable(name, Http.json("name", "title", "type", "TEXT"), Http.json("name", "rank", "type", "INT"),
                Http.json("name", "meta", "type", "JSON"));
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            batch.add(Http.json("title", "b" + i, "rank", i, "meta", Map.of("n", i)));
        }
        JsonNode inserted = ok(service.post(data(name) + "/batch", batch)).path("rows");
        String first = inserted.get(0).path("id").asText();
        String second = inserted.get(1).path("id").asText();
        ok(service.post(data("transaction"), List.of(
                Http.json("op", "insert", "table", name, "values", Http.json("title", "t1", "rank", 1000)),
                Http.json("op", "update", "table", name, "id", first, "values", Http.json("rank", -1)),
                Http.json("op", "delete", "table", name, "id", second),
                Http.json("op", "insert", "table", name, "values", Http.json("title", "t2")))));
        ok(operator.post("/api/v1/tables/" + table + "/columns", Http.json("name", "extra", "type", "TEXT")));
        ok(service.post(data(name) + "/batch", List.of(Http.json("title", "after", "extra", "x"),
                Http.json("title", "after too"))));
        ok(service.post(data(name) + "/" + second + "/restore", null));
        return name;
    }

    /** A table and one beside it written one event kind after the other; returns both names. */
    private String[] interleavedWrites() {
        String name = unique("interleaved");
        String beside = unique("beside");
        String table = aTable(name, Http.json("name", "title", "type", "TEXT"), Http.json("name", "rank", "type", "INT"),
                Http.json("name", "note", "type", "TEXT"));
        aTable(beside, Http.json("name", "label", "type", "TEXT"));
        JsonNode inserted = ok(service.post(data(name) + "/batch", List.of(Http.json("title", "a", "rank", 1, "note", "n"),
                Http.json("title", "b", "rank", 2), Http.json("title", "c", "note", "only a note")))).path("rows");
        String first = inserted.get(0).path("id").asText();
        String second = inserted.get(1).path("id").asText();
        ok(service.post(data(beside) + "/batch", List.of(Http.json("label", "x"), Http.json("label", "y"))));
        ok(service.patch(data(name) + "/" + first, Http.json("rank", 10, "note", "changed")));
        ok(service.post(data(name), Http.json("title", "single", "rank", 4)));
        ok(operator.put("/api/v1/tables/" + table + "/policies", List.of(
                Http.json("api_role", "anon", "operation", "INSERT", "allowed", true, "constraint_sql", "rank > 0"),
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true))));
        // under the project's anon role, which the policy lets insert
        ok(http.post(data(name), Http.json("title", "anonymous", "rank", 3)));
        ok(service.post(data(name), Http.json("title", "by the service", "rank", 5)));
        ok(http.post(data(name), Http.json("title", "anonymous too", "rank", 6)));
        ok(service.delete(data(name) + "/" + second));
        ok(service.post(data(beside), Http.json("label", "between")));
        ok(operator.delete("/api/v1/tables/" + table + "/columns/note"));
        ok(service.post(data(name) + "/batch", List.of(Http.json("title", "d", "rank", 7), Http.json("title", "e"))));
        ok(service.post(data(name) + "/" + second + "/restore", null));
        ok(service.post(data("transaction"), List.of(
                Http.json("op", "insert", "table", name, "values", Http.json("title", "t1", "rank", 8)),
                Http.json("op", "insert", "table", beside, "values", Http.json("label", "t2")),
                Http.json("op", "update", "table", name, "id", first, "values", Http.json("rank", 11)),
                Http.json("op", "insert", "table", name, "values", Http.json("title", "t3")))));
        ok(operator.post("/api/v1/tables/" + table + "/columns", Http.json("name", "note", "type", "INT")));
        ok(service.post(data(name), Http.json("title", "f", "note", 12)));
        return new String[]{name, beside};
    }

    /** Replays the data plane and waits until it has caught up. */
    private void replayDataPlane() {
        Http admin = http.bearer(new Accounts(http).admin().accessToken());
        Http.Response replay = admin.post("/api/v1/admin/projections/data_plane/replay", null);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
        await("the data plane replayed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    JsonNode status = null;
                    for (JsonNode s : ok(admin.get("/api/v1/admin/projections"))) {
                        if (s.path("name").asText().equals("data_plane")) {
                            status = s;
                        }
                    }
                    assertThat(status).isNotNull();
                    assertThat(status.path("replaying").asBoolean()).as(status.toString()).isFalse();
                    assertThat(status.path("lag").asLong()).as(status.toString()).isZero();
                    assertThat(status.path("last_error").isNull()).as("the replay succeeded: " + status).isTrue();
                });
    }

    /** Every row of every managed table and history table of this run's database, as text, in a stable order. */
    private static Map<String, List<String>> dataPlane() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (String table : AuditTrail.strings("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                + " WHERE schemaname LIKE 'g\\_%' ORDER BY 1")) {
            queries.put(table, "SELECT t::text FROM " + table + " t ORDER BY 1");
        }
        return AuditTrail.strings(queries);
    }

    private static String history(String tableId) {
        String schema = PhysicalSchema.count("SELECT count(*) FROM table_versions WHERE id = ?", tableId) > 0
                ? AuditTrail.strings("SELECT schema_name FROM table_versions WHERE id = ? LIMIT 1", tableId).get(0) : null;
        return "\"" + schema + "\".\"h_" + tableId.substring(tableId.indexOf('_') + 1) + "\"";
    }

    private static long historyRows(String tableId) {
        return PhysicalSchema.count("SELECT count(*) FROM " + history(tableId));
    }

    private static List<String> titles(JsonNode rows) {
        List<String> titles = new ArrayList<>();
        rows.forEach(row -> titles.add(row.path("title").asText()));
        return titles;
    }
}
