package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.TenancySteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.insert;
import static dev.baserdb.api.support.TableFixtures.required;
import static dev.baserdb.api.support.TableFixtures.tableRequest;
import static dev.baserdb.api.support.TableFixtures.unique;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /projects/{id}/restore {as_of}} (API.md §9): the project returns to the instant through
 * compensating events — rows, columns, indexes, policies, tables and groups — while its history keeps
 * every version, reads as of earlier instants answer as before, and the audit trail still verifies.
 */
@ApiTest
class RestoreInPlaceHttpTest {

    @LocalServerPort
    int port;

    Http http;
    TenancySteps tenancy;
    TableFixtures tables;
    Account owner;
    String org;
    String project;
    String serviceKey;
    String table;
    String tableId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenancy = new TenancySteps(http);
        tables = new TableFixtures(http);
        owner = new Accounts(http).anAccount();
        org = tenancy.organization(owner).path("id").asText();
        JsonNode created = tenancy.project(owner, org, TenancySteps.uniqueSlug("shop"));
        project = created.path("id").asText();
        serviceKey = created.path("service_key").asText();
        table = TableFixtures.uniqueTableName("items");
        tableId = tables.aTable(owner, tableRequest(project, table, required("name", "TEXT"), column("qty", "INT")))
                .path("id").asText();
    }

    private Http asOwner() {
        return http.bearer(owner.accessToken());
    }

    private Http service() {
        return tables.serviceKey(serviceKey);
    }

    private String rows() {
        return "/api/v1/data/" + project + "/" + table;
    }

    private String insertRow(String name, int qty) {
        return insert(service(), project, table, Http.json("name", name, "qty", qty)).path("id").asText();
    }

    private List<String> rowsNow(String query) {
        List<String> rows = new ArrayList<>();
        ok(service().get(rows() + "?order=name.asc&limit=1000" + query)).forEach(row -> rows.add(
                row.path("name").asText() + "=" + row.path("qty").asText()));
        return rows;
    }

    private List<String> columns() {
        return TableFixtures.values(ok(asOwner().get("/api/v1/tables/" + tableId)).path("columns"), "name");
    }

    private List<String> policies() {
        List<String> policies = new ArrayList<>();
        ok(asOwner().get("/api/v1/tables/" + tableId + "/policies")).forEach(p -> policies.add(
                p.path("api_role").asText() + " " + p.path("operation").asText() + " " + p.path("allowed").asText()));
        return policies;
    }

    @Test
    void given_changes_since_an_instant_when_restored_to_it_then_the_project_reads_as_then_and_history_keeps_all() {
        String apple = insertRow("apple", 3);
        String pear = insertRow("pear", 5);
        insertRow("fig", 8);
        ok(asOwner().put("/api/v1/tables/" + tableId + "/policies",
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true)));
        List<String> policiesThen = policies();
        List<String> columnsThen = columns();
        Instant then = TenancySteps.instantBetweenEvents();
        // everything that happens after "then" must be undone
        ok(service().patch(rows() + "/" + apple, Http.json("qty", 30)));
        ok(service().patch(rows() + "/" + apple, Http.json("name", "green apple")));
        ok(service().delete(rows() + "/" + pear));
        String kiwi = insertRow("kiwi", 1);
        ok(asOwner().post("/api/v1/tables/" + tableId + "/columns", Http.json("name", "note", "type", "TEXT")));
        ok(asOwner().put("/api/v1/tables/" + tableId + "/policies",
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", false)));
        String laterTable = tables.aTable(owner, project, column("x", "TEXT")).path("id").asText();
        List<String> beforeRestore = rowsNow("");
        Instant beforeRestoreAt = TenancySteps.instantBetweenEvents();

        Http.Response response = asOwner().post("/api/v1/projects/" + project + "/restore",
                Http.json("as_of", then.toString()));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode restored = response.data().path("restored");
        assertThat(restored.path("rows_deleted").asInt()).isEqualTo(1);
        assertThat(restored.path("rows_restored").asInt()).isEqualTo(1);
        assertThat(restored.path("rows_updated").asInt()).isEqualTo(1);
        assertThat(restored.path("columns_dropped").asInt()).isEqualTo(1);
        assertThat(restored.path("policies_changed").asInt()).isEqualTo(1);
        assertThat(restored.path("tables_deleted").asInt()).isEqualTo(1);
        assertThat(response.data().path("not_restored")).isEmpty();
        // now: exactly the state at "then"
        assertThat(rowsNow("")).containsExactly("apple=3", "fig=8", "pear=5")
                .isEqualTo(rowsNow("&as_of=" + then));
        assertThat(columns()).isEqualTo(columnsThen);
        assertThat(policies()).isEqualTo(policiesThen);
        assertThat(asOwner().get("/api/v1/tables/" + laterTable).status()).isEqualTo(404);
        // nothing erased: the kiwi is soft-deleted, and earlier instants read as before
        assertThat(rowsNow("&include_deleted=true")).contains("kiwi=1");
        assertThat(rowsNow("&as_of=" + beforeRestoreAt)).isEqualTo(beforeRestore)
                .containsExactly("fig=8", "green apple=30", "kiwi=1");
        JsonNode history = ok(service().get(rows() + "/" + apple + "/history"));
        assertThat(history.size()).isEqualTo(4);
        assertThat(TenancySteps.eventCount(kiwi, "RowDeleted")).isEqualTo(1);
        assertThat(ok(asOwner().get("/api/v1/projects/" + project + "/history")))
                .extracting(e -> e.path("type").asText()).contains("project.restored_to_instant");
        // the audit trail took every compensating event and still verifies
        AuditTrail.awaitCaughtUp();
        JsonNode verification = ok(asOwner().get("/api/v1/audit/verify?organization_id=" + org));
        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(AuditTrail.count("SELECT count(*) FROM audit_entries WHERE project_id = ? "
                + "AND action = 'project.restored_to_instant'", project)).isEqualTo(1);
    }

    @Test
    void given_a_dropped_column_since_the_instant_when_restored_then_it_returns_with_its_values() {
        ok(asOwner().post("/api/v1/tables/" + tableId + "/columns", Http.json("name", "note", "type", "TEXT")));
        String apple = insert(service(), project, table, Http.json("name", "apple", "qty", 1, "note", "red"))
                .path("id").asText();
        Instant then = TenancySteps.instantBetweenEvents();
        ok(asOwner().delete("/api/v1/tables/" + tableId + "/columns/note"));

        ok(asOwner().post("/api/v1/projects/" + project + "/restore", Http.json("as_of", then.toString())));

        assertThat(columns()).contains("note");
        assertThat(ok(service().get(rows() + "/" + apple)).path("note").asText()).isEqualTo("red");
    }

    @Test
    void given_a_table_deleted_since_the_instant_when_restored_then_it_comes_back_with_its_rows_under_a_new_id() {
        JsonNode created = tables.aTable(owner, project, column("x", "TEXT"));
        String gone = created.path("id").asText();
        String goneName = created.path("name").asText();
        insert(service(), project, goneName, Http.json("x", "kept"));
        Instant then = TenancySteps.instantBetweenEvents();
        ok(asOwner().delete("/api/v1/tables/" + gone));

        JsonNode outcome = ok(asOwner().post("/api/v1/projects/" + project + "/restore",
                Http.json("as_of", then.toString())));

        assertThat(outcome.path("not_restored")).isEmpty();
        assertThat(outcome.path("restored").path("tables_recreated").asInt()).isEqualTo(1);
        assertThat(outcome.path("restored").path("rows_recreated").asInt()).isEqualTo(1);
        JsonNode recreated = outcome.path("recreated").get(0);
        assertThat(recreated.path("type").asText()).isEqualTo("table");
        assertThat(recreated.path("id").asText()).isEqualTo(gone);
        assertThat(recreated.path("name").asText()).isEqualTo(goneName);
        String newId = recreated.path("new_id").asText();
        assertThat(newId).isNotEqualTo(gone);
        assertThat(ok(asOwner().get("/api/v1/tables/" + newId)).path("name").asText()).isEqualTo(goneName);
        assertThat(asOwner().get("/api/v1/tables/" + gone).status()).isEqualTo(404);
        assertThat(TableFixtures.values(ok(service().get("/api/v1/data/" + project + "/" + goneName)), "x"))
                .containsExactly("kept");
    }

    @Test
    void given_groups_tables_rows_and_policies_deleted_or_changed_since_the_instant_when_restored_then_every_read_equals_the_read_as_of_it() {
        // the public group's table of setUp, and two more tables: one in the public group, one in a group of its own
        insertRow("apple", 3);
        String pear = insertRow("pear", 5);
        ok(asOwner().put("/api/v1/tables/" + tableId + "/policies",
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true)));
        JsonNode loose = tables.aTable(owner, tableRequest(project, TableFixtures.uniqueTableName("loose"),
                required("label", "TEXT"), column("n", "INT")));
        String looseName = loose.path("name").asText();
        insert(service(), project, looseName, Http.json("label", "one", "n", 1));
        String soonDeleted = insert(service(), project, looseName, Http.json("label", "two", "n", 2))
                .path("id").asText();
        ok(service().delete("/api/v1/data/" + project + "/" + looseName + "/" + soonDeleted));
        ok(asOwner().put("/api/v1/tables/" + loose.path("id").asText() + "/policies", Http.json("api_role",
                "authenticated", "operation", "SELECT", "allowed", true, "constraint_sql", "n > 0")));
        String groupName = TableFixtures.uniqueTableName("archive");
        String groupId = ok(asOwner().post("/api/v1/groups", Http.json("project_id", project, "name", groupName)))
                .path("id").asText();
        ObjectNode groupTableRequest = tableRequest(project, "old", unique("code", "TEXT"), column("note", "TEXT"));
        groupTableRequest.put("group_id", groupId);
        String oldTable = tables.aTable(owner, groupTableRequest).path("id").asText();
        ok(asOwner().post("/api/v1/tables/" + oldTable + "/indexes", Http.json("columns", List.of("note"))));
        ok(asOwner().put("/api/v1/tables/" + oldTable + "/policies",
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true)));
        insert(service(), project, groupName + ".old", Http.json("code", "a1", "note", "first"));
        String changedLater = insert(service(), project, groupName + ".old", Http.json("code", "b2", "note", "second"))
                .path("id").asText();
        Map<String, ObjectNode> readThen = readProject(null);
        Instant then = TenancySteps.instantBetweenEvents();

        ok(service().patch("/api/v1/data/" + project + "/" + groupName + ".old/" + changedLater,
                Http.json("note", "changed")));
        ok(service().patch(rows() + "/" + pear, Http.json("qty", 50)));
        insertRow("plum", 9);
        ok(asOwner().delete("/api/v1/tables/" + loose.path("id").asText()));
        ok(asOwner().delete("/api/v1/tables/" + oldTable));
        ok(asOwner().delete("/api/v1/groups/" + groupId));
        assertThat(readProject(null)).isNotEqualTo(readThen);

        Http.Response response = asOwner().post("/api/v1/projects/" + project + "/restore",
                Http.json("as_of", then.toString()));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode outcome = response.data();
        assertThat(outcome.path("not_restored")).isEmpty();
        assertThat(outcome.path("restored").path("groups_recreated").asInt()).isEqualTo(1);
        assertThat(outcome.path("restored").path("tables_recreated").asInt()).isEqualTo(2);
        assertThat(outcome.path("restored").path("rows_recreated").asInt()).isEqualTo(4);
        assertThat(outcome.path("recreated")).extracting(r -> r.path("type").asText() + " " + r.path("id").asText())
                .containsExactlyInAnyOrder("group " + groupId, "table " + loose.path("id").asText(), "table " + oldTable);
        // every table, its columns, indexes, policies and rows read as at the instant
        Map<String, ObjectNode> readNow = readProject(null);
        assertThat(readNow).isEqualTo(readThen);
        // a row soft-deleted then is soft-deleted again in the table brought back
        assertThat(TableFixtures.values(ok(service().get("/api/v1/data/" + project + "/" + looseName
                + "?include_deleted=true&order=label.asc")), "label")).containsExactly("one", "two");
        // and the schema as of the instant, read back from history, is the schema now
        Map<String, ObjectNode> schemaAsOf = readProject(then);
        readNow.forEach((name, table) -> {
            JsonNode schema = table.deepCopy().without(List.of("rows"));
            assertThat(schema).as(name).isEqualTo(schemaAsOf.get(name));
        });
        assertThat(schemaAsOf.keySet()).isEqualTo(readNow.keySet());
        assertThat(rowsNow("")).isEqualTo(rowsNow("&as_of=" + then)).containsExactly("apple=3", "pear=5");
        // the recreated group answers by its old name, and anon reads the recreated table as its policy allows
        assertThat(ok(http.get("/api/v1/data/" + project + "/" + groupName + ".old?order=code.asc")))
                .extracting(r -> r.path("code").asText()).containsExactly("a1", "b2");
        AuditTrail.awaitCaughtUp();
        JsonNode verification = ok(asOwner().get("/api/v1/audit/verify?organization_id=" + org));
        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
    }

    /**
     * The project as its readers see it, ids aside (a table brought back has a new one): by
     * {@code group.table}, each table's columns, indexes and policies, and — read now only, the data
     * API reads current tables — its rows with every user value.
     */
    private Map<String, ObjectNode> readProject(Instant asOf) {
        String at = asOf == null ? "" : "&as_of=" + asOf;
        Map<String, String> groupNames = new TreeMap<>();
        ok(asOwner().get("/api/v1/groups?project_id=" + project + "&limit=100" + at))
                .forEach(g -> groupNames.put(g.path("id").asText(), g.path("name").asText()));
        Map<String, ObjectNode> read = new TreeMap<>();
        for (JsonNode table : ok(asOwner().get("/api/v1/tables?project_id=" + project + "&limit=100" + at))) {
            String path = groupNames.get(table.path("group_id").asText()) + "." + table.path("name").asText();
            ObjectNode described = Http.JSON.createObjectNode();
            described.set("columns", table.path("columns"));
            ArrayNode indexes = described.putArray("indexes");
            table.path("indexes").forEach(index -> indexes.add(index));
            List<String> policies = new ArrayList<>();
            table.path("policies").forEach(p -> policies.add(p.path("api_role").asText() + " "
                    + p.path("operation").asText() + " " + p.path("allowed").asText() + " "
                    + p.path("constraint_sql").asText()));
            policies.sort(null);
            described.set("policies", Http.JSON.valueToTree(policies));
            if (asOf == null) {
                List<String> rows = new ArrayList<>();
                ok(service().get("/api/v1/data/" + project + "/" + path + "?limit=1000")).forEach(row -> {
                    ObjectNode values = ((ObjectNode) row).deepCopy();
                    values.remove(List.of("id", "created_at", "updated_at"));
                    rows.add(values.toString());
                });
                rows.sort(null);
                described.set("rows", Http.JSON.valueToTree(rows));
            }
            read.put(path, described);
        }
        return read;
    }

    @Test
    void given_bad_input_when_restoring_in_place_then_400_or_404_and_nothing_changes() {
        insertRow("apple", 3);
        String path = "/api/v1/projects/" + project + "/restore";
        long events = AuditTrail.count("SELECT count(*) FROM domainevententry");

        assertThat(asOwner().post(path, Http.json()).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("as_of", "last tuesday")).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("as_of", 12)).errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("as_of", Instant.now().plusSeconds(600).toString())).errorCode())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post(path, Http.json("as_of", "2001-01-01T00:00:00Z")).errorCode())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(asOwner().post("/api/v1/projects/prj_nope/restore", Http.json("as_of", Instant.now().toString()))
                .status()).isEqualTo(404);

        assertThat(AuditTrail.count("SELECT count(*) FROM domainevententry")).isEqualTo(events);
        assertThat(rowsNow("")).containsExactly("apple=3");
    }
}
