package dev.baserdb.api.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.PhysicalSchema;
import dev.baserdb.api.support.PhysicalSchema.PhysicalColumn;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.TenancySteps;
import dev.baserdb.kernel.data.DataTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.required;
import static dev.baserdb.api.support.TableFixtures.tableRequest;
import static dev.baserdb.api.support.TableFixtures.uniqueTableName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Managed tables over real HTTP (API.md §6), checked against what PostgreSQL really holds: every
 * column type, defaults, unique, names, columns and indexes added and dropped, reads now and as of
 * an instant, deletion, groups, history, and who may do what.
 */
@ApiTest
class TableHttpTest {

    @LocalServerPort
    int port;

    Http http;
    Accounts accounts;
    TenancySteps tenancy;
    TableFixtures tables;
    Account alice;
    String org;
    String project;
    String serviceKey;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new TenancySteps(http);
        tables = new TableFixtures(http);
        alice = accounts.anAccount();
        org = tenancy.organization(alice).path("id").asText();
        JsonNode created = tenancy.project(alice, org, "Tabled");
        project = created.path("id").asText();
        serviceKey = created.path("service_key").asText();
    }

    // --- create: types, defaults, unique ---------------------------------------------------------------

    @Test
    void given_every_column_type_in_any_case_when_creating_then_201_and_postgresql_has_those_types() {
        String name = uniqueTableName("typed");

        Http.Response created = as(alice).post("/api/v1/tables", tableRequest(project, name,
                column("i", "int"), column("b", "BigInt"), column("v", "varchar(40)"), column("t", "TEXT"),
                column("flag", "boolean"), column("price", "Decimal(10,2)"), column("f", "float"),
                column("d", "date"), column("ts", "timestamp"), column("tz", "TimestampTZ"), column("u", "uuid"),
                column("j", "Json"), column("secret", "password")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.header("ETag")).matches("\"\\d+\"");
        JsonNode table = created.data();
        assertThat(table.path("id").asText()).startsWith("tbl_");
        assertThat(table.path("name").asText()).isEqualTo(name);
        assertThat(TableFixtures.values(table.path("columns"), "name")).containsExactly("id", "created_at",
                "updated_at", "i", "b", "v", "t", "flag", "price", "f", "d", "ts", "tz", "u", "j", "secret");
        assertThat(TableFixtures.values(table.path("columns"), "type")).containsExactly("UUID", "TIMESTAMPTZ",
                "TIMESTAMPTZ", "INT", "BIGINT", "VARCHAR(40)", "TEXT", "BOOLEAN", "DECIMAL(10,2)", "FLOAT", "DATE",
                "TIMESTAMP", "TIMESTAMPTZ", "UUID", "JSON", "PASSWORD");

        Map<String, PhysicalColumn> physical = PhysicalSchema.columns(schemaOf(table), name);
        assertThat(physical.keySet()).containsSubsequence("id", "created_at", "updated_at", "i", "b", "v", "t",
                "flag", "price", "f", "d", "ts", "tz", "u", "j", "secret");
        assertThat(physical.get("id").dataType()).isEqualTo("uuid");
        assertThat(physical.get("id").nullable()).isFalse();
        assertThat(physical.get("created_at").dataType()).isEqualTo("timestamp with time zone");
        assertThat(physical.get("updated_at").dataType()).isEqualTo("timestamp with time zone");
        assertThat(physical.get("i").dataType()).isEqualTo("integer");
        assertThat(physical.get("b").dataType()).isEqualTo("bigint");
        assertThat(physical.get("v").dataType()).isEqualTo("character varying");
        assertThat(physical.get("v").length()).isEqualTo(40);
        assertThat(physical.get("t").dataType()).isEqualTo("text");
        assertThat(physical.get("flag").dataType()).isEqualTo("boolean");
        assertThat(physical.get("price").dataType()).isEqualTo("numeric");
        assertThat(physical.get("price").precision()).isEqualTo(10);
        assertThat(physical.get("price").scale()).isEqualTo(2);
        assertThat(physical.get("f").dataType()).isEqualTo("double precision");
        assertThat(physical.get("d").dataType()).isEqualTo("date");
        assertThat(physical.get("ts").dataType()).isEqualTo("timestamp without time zone");
        assertThat(physical.get("tz").dataType()).isEqualTo("timestamp with time zone");
        assertThat(physical.get("u").dataType()).isEqualTo("uuid");
        assertThat(physical.get("j").dataType()).isIn("jsonb", "json");
        assertThat(physical.get("secret").dataType()).isEqualTo("text");
    }

    @Test
    void given_a_new_table_then_id_is_its_primary_key() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        assertThat(PhysicalSchema.indexDefinitions(schemaOf(table), table.path("name").asText()))
                .anySatisfy(index -> assertThat(index).contains("UNIQUE").contains("(id)"));
    }

    /**
     * The history's own indexes: its key, the period ({@code as_of}) and the row's id (a row's
     * versions, {@code as_of} lists in id order). Not one on {@code row_id}, which is always the id.
     */
    @Test
    void given_a_new_table_then_its_history_has_its_key_and_an_index_on_the_period_and_one_on_the_row() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String history = DataTable.historyName(table.path("id").asText());

        assertThat(PhysicalSchema.indexDefinitions(schemaOf(table), history)).satisfiesExactlyInAnyOrder(
                index -> assertThat(index).contains(history + "_pkey").contains("(version_id)"),
                index -> assertThat(index).contains(history + "_period").contains("(valid_from, valid_to)"),
                index -> assertThat(index).contains(history + "_id").contains("(id, valid_from)"));
    }

    @Test
    void given_defaults_when_creating_then_postgresql_applies_them_and_boolean_default_accepts_text_and_json() {
        JsonNode table = tables.aTable(alice, tableRequest(project, uniqueTableName("defaults"),
                column("title", "TEXT"),
                column("published", "BOOLEAN").put("default", "true"),
                column("archived", "BOOLEAN").put("default", true),
                column("hidden", "BOOLEAN").put("default", "false"),
                column("likes", "INT").put("default", 7),
                column("status", "VARCHAR(10)").put("default", "draft")));
        String name = table.path("name").asText();

        Map<String, PhysicalColumn> physical = PhysicalSchema.columns(schemaOf(table), name);
        assertThat(physical.get("published").defaultValue()).isEqualTo("true");
        assertThat(physical.get("archived").defaultValue()).isEqualTo("true");
        assertThat(physical.get("hidden").defaultValue()).isEqualTo("false");
        assertThat(physical.get("likes").defaultValue()).isEqualTo("7");
        assertThat(physical.get("status").defaultValue()).startsWith("'draft'");
        JsonNode row = TableFixtures.insert(service(), project, name, Http.json("title", "hello"));
        assertThat(row.path("published").asBoolean(false)).isTrue();
        assertThat(row.path("archived").isBoolean()).isTrue();
        assertThat(row.path("archived").asBoolean()).isTrue();
        assertThat(row.path("hidden").isBoolean()).isTrue();
        assertThat(row.path("hidden").asBoolean()).isFalse();
        assertThat(row.path("likes").asInt()).isEqualTo(7);
        assertThat(row.path("status").asText()).isEqualTo("draft");
    }

    @Test
    void given_a_default_of_the_wrong_type_when_creating_then_400_naming_the_column_default_and_no_table() {
        String name = uniqueTableName("baddefault");

        Http.Response response = as(alice).post("/api/v1/tables", tableRequest(project, name,
                column("title", "TEXT"), column("likes", "INT").put("default", "many")));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").has("columns[1].default")).as(response.toString())
                .isTrue();
        assertThat(tableNames()).doesNotContain(name);
    }

    @Test
    void given_not_null_and_unique_columns_when_creating_then_postgresql_enforces_both() {
        JsonNode table = tables.aTable(alice, project, required("email", "TEXT"),
                TableFixtures.unique("handle", "VARCHAR(20)"));
        String name = table.path("name").asText();

        Map<String, PhysicalColumn> physical = PhysicalSchema.columns(schemaOf(table), name);
        assertThat(physical.get("email").nullable()).isFalse();
        assertThat(physical.get("handle").nullable()).isTrue();
        assertThat(PhysicalSchema.indexDefinitions(schemaOf(table), name))
                .anySatisfy(index -> assertThat(index).startsWith("CREATE UNIQUE INDEX").contains("(handle)"));
        TableFixtures.insert(service(), project, name, Http.json("email", "a@example.com", "handle", "ann"));
        Http.Response duplicate = service().post(dataPath(name), Http.json("email", "b@example.com", "handle", "ann"));
        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
        assertThat(duplicate.errorCode()).isEqualTo("CONFLICT");
    }

    @Test
    void given_a_table_response_then_columns_describe_nullable_unique_and_default() {
        JsonNode table = tables.aTable(alice, project, required("email", "TEXT"),
                TableFixtures.unique("handle", "VARCHAR(20)"), column("likes", "INT").put("default", 3));

        JsonNode email = columnOf(table, "email");
        JsonNode handle = columnOf(table, "handle");
        JsonNode likes = columnOf(table, "likes");
        JsonNode id = columnOf(table, "id");
        assertThat(email.path("nullable").asBoolean(true)).isFalse();
        assertThat(handle.path("unique").asBoolean()).isTrue();
        assertThat(handle.path("nullable").asBoolean()).isTrue();
        assertThat(likes.path("default_value").asInt()).as(likes.toString()).isEqualTo(3);
        assertThat(id.path("system").asBoolean()).isTrue();
        assertThat(email.path("system").asBoolean(true)).isFalse();
    }

    // --- create: names and types refused ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"select", "SELECT", "table", "user", "bad-name", "has space", "1starts_with_digit",
            "x;drop", "naïve", "", "a123456789012345678901234567890123456789012345678901234567890123"})
    void given_a_bad_table_name_when_creating_then_400_with_details_name_and_no_table(String name) {
        List<String> before = PhysicalSchema.allManagedTables();

        Http.Response response = as(alice).post("/api/v1/tables",
                tableRequest(project, name, column("title", "TEXT")));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("name").asText()).isNotBlank();
        assertThat(tableNames()).isEmpty();
        assertThat(PhysicalSchema.allManagedTables()).isEqualTo(before);
    }

    @Test
    void given_a_name_of_exactly_63_characters_when_creating_then_201() {
        String name = (uniqueTableName("long") + "_" + "x".repeat(63)).substring(0, 63);

        Http.Response response = as(alice).post("/api/v1/tables", tableRequest(project, name, column("t", "TEXT")));

        assertThat(name).hasSize(63);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(PhysicalSchema.tableExists(schemaOf(response.data()), name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"select", "from", "bad-name", "2nd", "with space", "quo\"te",
            "a123456789012345678901234567890123456789012345678901234567890123"})
    void given_a_bad_column_name_when_creating_then_400_with_details_of_that_column_and_no_table(String column) {
        String name = uniqueTableName("badcolumn");

        Http.Response response = as(alice).post("/api/v1/tables",
                tableRequest(project, name, column("title", "TEXT"), column(column, "TEXT")));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("columns[1].name").asText())
                .as(response.toString()).isNotBlank();
        assertThat(tableNames()).doesNotContain(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "created_at", "updated_at", "deleted_at"})
    void given_a_system_column_name_when_creating_then_400_and_no_table(String column) {
        String name = uniqueTableName("syscolumn");

        Http.Response response = as(alice).post("/api/v1/tables", tableRequest(project, name, column(column, "TEXT")));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").path("columns[0].name").asText()).isNotBlank();
        assertThat(tableNames()).doesNotContain(name);
    }

    @Test
    void given_two_columns_with_the_same_name_when_creating_then_400_and_no_table() {
        String name = uniqueTableName("twice");

        Http.Response response = as(alice).post("/api/v1/tables",
                tableRequest(project, name, column("title", "TEXT"), column("title", "INT")));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(tableNames()).doesNotContain(name);
        assertThat(PhysicalSchema.allManagedTables()).noneMatch(table -> table.endsWith("." + name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MONEY", "VARCHAR", "INT(4)", "TEXT(10)", "SERIAL", "text; drop table x", "", "DECIMAL(2,5)"})
    void given_an_unknown_type_when_creating_then_400_with_details_type_and_no_table(String type) {
        String name = uniqueTableName("badtype");

        Http.Response response = as(alice).post("/api/v1/tables", tableRequest(project, name, column("x", type)));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("columns[0].type").asText()).isNotBlank();
        assertThat(tableNames()).doesNotContain(name);
    }

    @Test
    void given_a_table_name_taken_in_the_group_when_creating_then_409_and_the_first_stays() {
        JsonNode first = tables.aTable(alice, project, column("title", "TEXT"));
        String name = first.path("name").asText();

        Http.Response again = as(alice).post("/api/v1/tables", tableRequest(project, name, column("other", "INT")));

        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("CONFLICT");
        assertThat(tableNames()).containsExactly(name);
        assertThat(PhysicalSchema.columns(schemaOf(first), name)).containsKey("title").doesNotContainKey("other");
    }

    @Test
    void given_no_project_id_when_creating_then_400_with_details_project_id() {
        Http.Response response = as(alice).post("/api/v1/tables",
                Http.json("name", uniqueTableName("t")).set("columns", TableFixtures.columns(column("t", "TEXT"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").has("project_id")).isTrue();
    }

    // --- columns -----------------------------------------------------------------------------------------

    @Test
    void given_a_table_when_adding_a_column_then_201_and_postgresql_has_it_in_the_table_and_its_reads() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String name = table.path("name").asText();

        Http.Response added = as(alice).post(tablePath(table) + "/columns",
                Http.json("name", "likes", "type", "int", "nullable", false, "default", 0));

        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(TableFixtures.values(added.data().path("columns"), "name")).endsWith("title", "likes");
        PhysicalColumn likes = PhysicalSchema.columns(schemaOf(table), name).get("likes");
        assertThat(likes).isNotNull();
        assertThat(likes.dataType()).isEqualTo("integer");
        assertThat(likes.nullable()).isFalse();
        assertThat(TableFixtures.values(as(alice).get(tablePath(table)).data().path("columns"), "name"))
                .contains("likes");
        JsonNode row = TableFixtures.insert(service(), project, name, Http.json("title", "x"));
        assertThat(row.path("likes").asInt(-1)).isEqualTo(0);
    }

    @Test
    void given_a_column_when_adding_it_again_then_409_and_the_schema_is_unchanged() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response again = as(alice).post(tablePath(table) + "/columns", Http.json("name", "title", "type", "INT"));

        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("CONFLICT");
        assertThat(PhysicalSchema.columns(schemaOf(table), table.path("name").asText()).get("title").dataType())
                .isEqualTo("text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "created_at", "select", "bad-name"})
    void given_a_system_or_bad_name_when_adding_a_column_then_400_with_details_name(String column) {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response response = as(alice).post(tablePath(table) + "/columns", Http.json("name", column, "type", "TEXT"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").path("name").asText()).isNotBlank();
    }

    @Test
    void given_an_unknown_type_when_adding_a_column_then_400_with_details_type_and_no_column() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response response = as(alice).post(tablePath(table) + "/columns", Http.json("name", "x", "type", "BLOB"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").path("type").asText()).isNotBlank();
        assertThat(PhysicalSchema.columns(schemaOf(table), table.path("name").asText())).doesNotContainKey("x");
    }

    @Test
    void given_a_column_when_dropping_it_then_200_and_postgresql_no_longer_has_it() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"), column("likes", "INT"));
        String name = table.path("name").asText();

        Http.Response dropped = as(alice).delete(tablePath(table) + "/columns/likes");

        assertThat(dropped.status()).as(dropped.toString()).isEqualTo(200);
        assertThat(TableFixtures.values(dropped.data().path("columns"), "name")).doesNotContain("likes");
        assertThat(PhysicalSchema.columns(schemaOf(table), name)).containsKey("title").doesNotContainKey("likes");
        Http.Response insert = service().post(dataPath(name), Http.json("title", "x", "likes", 1));
        assertThat(insert.status()).as(insert.toString()).isEqualTo(400);
    }

    @Test
    void given_a_table_when_dropping_an_unknown_column_then_404() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response response = as(alice).delete(tablePath(table) + "/columns/nope");

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "created_at", "updated_at"})
    void given_a_table_when_dropping_a_system_column_then_400_and_it_stays(String column) {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response response = as(alice).delete(tablePath(table) + "/columns/" + column);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(PhysicalSchema.columns(schemaOf(table), table.path("name").asText())).containsKey(column);
    }

    // --- indexes -----------------------------------------------------------------------------------------

    @Test
    void given_a_table_when_creating_an_index_then_201_listed_and_postgresql_has_it() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"), column("likes", "INT"));
        String name = table.path("name").asText();
        int before = PhysicalSchema.indexDefinitions(schemaOf(table), name).size();

        Http.Response created = as(alice).post(tablePath(table) + "/indexes",
                Http.json("columns", List.of("title", "likes")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Http.Response listed = as(alice).get(tablePath(table) + "/indexes");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.data()).hasSize(1);
        assertThat(listed.data().get(0).path("columns").toString()).isEqualTo("[\"title\",\"likes\"]");
        assertThat(listed.data().get(0).path("unique").asBoolean(true)).isFalse();
        List<String> indexes = PhysicalSchema.indexDefinitions(schemaOf(table), name);
        assertThat(indexes).hasSize(before + 1);
        assertThat(indexes).anySatisfy(index -> assertThat(index).doesNotContain("UNIQUE").contains("(title, likes)"));
        // the history table gets the same columns indexed, so as_of reads filter and order through it too
        assertThat(historyIndexes(table)).anySatisfy(index -> assertThat(index).doesNotContain("UNIQUE")
                .contains("(title, likes)"));
    }

    @Test
    void given_an_index_when_dropped_then_its_history_index_goes_too_and_a_unique_column_has_a_plain_one() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"), TableFixtures.unique("code", "TEXT"));
        assertThat(historyIndexes(table)).anySatisfy(index -> assertThat(index).doesNotContain("UNIQUE")
                .contains("(code)"));
        as(alice).post(tablePath(table) + "/indexes", Http.json("columns", List.of("title")));
        String index = as(alice).get(tablePath(table) + "/indexes").data().get(0).path("name").asText();
        assertThat(historyIndexes(table)).anySatisfy(definition -> assertThat(definition).contains("(title)"));

        Http.Response dropped = as(alice).delete(tablePath(table) + "/indexes/" + index);

        assertThat(dropped.status()).as(dropped.toString()).isEqualTo(200);
        assertThat(historyIndexes(table)).noneMatch(definition -> definition.contains("(title)"))
                .anySatisfy(definition -> assertThat(definition).contains("(code)"));
    }

    @Test
    void given_a_unique_index_when_inserting_a_duplicate_then_409_and_after_dropping_it_the_duplicate_is_accepted() {
        JsonNode table = tables.aTable(alice, project, column("code", "TEXT"));
        String name = table.path("name").asText();
        Http.Response created = as(alice).post(tablePath(table) + "/indexes",
                Http.json("columns", List.of("code"), "unique", true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String index = as(alice).get(tablePath(table) + "/indexes").data().get(0).path("name").asText();
        TableFixtures.insert(service(), project, name, Http.json("code", "A1"));

        Http.Response duplicate = service().post(dataPath(name), Http.json("code", "A1"));

        assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
        assertThat(PhysicalSchema.rowCount(schemaOf(table), name)).isEqualTo(1);
        Http.Response dropped = as(alice).delete(tablePath(table) + "/indexes/" + index);
        assertThat(dropped.status()).as(dropped.toString()).isEqualTo(200);
        assertThat(PhysicalSchema.indexDefinitions(schemaOf(table), name)).noneMatch(d -> d.contains("(code)"));
        assertThat(service().post(dataPath(name), Http.json("code", "A1")).status()).isEqualTo(201);
    }

    @Test
    void given_an_index_when_creating_it_again_then_409() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        as(alice).post(tablePath(table) + "/indexes", Http.json("columns", List.of("title")));

        Http.Response again = as(alice).post(tablePath(table) + "/indexes", Http.json("columns", List.of("title")));

        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("CONFLICT");
    }

    @Test
    void given_an_unknown_column_when_creating_an_index_then_400_with_details_columns_and_no_index() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        int before = PhysicalSchema.indexDefinitions(schemaOf(table), table.path("name").asText()).size();

        Http.Response response = as(alice).post(tablePath(table) + "/indexes", Http.json("columns", List.of("nope")));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").has("columns")).isTrue();
        assertThat(PhysicalSchema.indexDefinitions(schemaOf(table), table.path("name").asText())).hasSize(before);
    }

    @Test
    void given_no_columns_when_creating_an_index_then_400() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response response = as(alice).post(tablePath(table) + "/indexes", Http.json("columns", List.of()));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.body().path("error").path("details").has("columns")).isTrue();
    }

    @Test
    void given_a_table_when_dropping_an_unknown_index_then_404() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response response = as(alice).delete(tablePath(table) + "/indexes/nope_idx");

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
    }

    @Test
    void given_an_indexed_column_when_it_is_dropped_then_its_index_goes_too() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"), column("likes", "INT"));
        as(alice).post(tablePath(table) + "/indexes", Http.json("columns", List.of("likes")));

        as(alice).delete(tablePath(table) + "/columns/likes");

        assertThat(as(alice).get(tablePath(table) + "/indexes").data()).isEmpty();
        assertThat(PhysicalSchema.indexDefinitions(schemaOf(table), table.path("name").asText()))
                .noneMatch(d -> d.contains("likes"));
        assertThat(historyIndexes(table)).noneMatch(d -> d.contains("likes"));
    }

    private static List<String> historyIndexes(JsonNode table) {
        return PhysicalSchema.indexDefinitions(schemaOf(table),
                DataTable.historyName(table.path("id").asText()));
    }

    // --- read ----------------------------------------------------------------------------------------------

    @Test
    void given_tables_in_two_groups_when_listing_then_all_of_the_project_or_those_of_one_group() {
        String sales = groupNamed(uniqueTableName("sales"));
        String inPublic = tables.aTable(alice, project, column("t", "TEXT")).path("name").asText();
        String inSales = tables.aTable(alice, tableRequest(project, uniqueTableName("orders"), column("t", "TEXT"))
                .put("group_id", sales)).path("name").asText();

        Http.Response all = as(alice).get("/api/v1/tables?project_id=" + project);
        Http.Response ofSales = as(alice).get("/api/v1/tables?project_id=" + project + "&group_id=" + sales);

        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(TableFixtures.values(all.data(), "name")).containsExactly(inPublic, inSales);
        assertThat(all.body().path("meta").path("page").path("total").asInt()).isEqualTo(2);
        assertThat(TableFixtures.values(ofSales.data(), "name")).containsExactly(inSales);
    }

    @Test
    void given_a_table_when_reading_it_then_its_schema_with_an_etag_and_304_for_that_etag() {
        Http.Response created = as(alice).post("/api/v1/tables",
                tableRequest(project, uniqueTableName("etag"), column("title", "TEXT")));
        JsonNode table = created.data();

        Http.Response read = as(alice).get(tablePath(table));

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.data().path("id").asText()).isEqualTo(table.path("id").asText());
        assertThat(read.data().path("project_id").asText()).isEqualTo(project);
        assertThat(read.data().path("indexes").isArray()).isTrue();
        assertThat(read.data().path("policies").isArray()).isTrue();
        assertThat(read.header("ETag")).matches("\"\\d+\"").isEqualTo(created.header("ETag"));
        Http.Response again = as(alice).with("If-None-Match", read.header("ETag")).get(tablePath(table));
        assertThat(again.status()).isEqualTo(304);
    }

    @Test
    void given_a_schema_change_when_reading_then_the_etag_changes() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String before = as(alice).get(tablePath(table)).header("ETag");

        as(alice).post(tablePath(table) + "/columns", Http.json("name", "likes", "type", "INT"));

        Http.Response after = as(alice).with("If-None-Match", before).get(tablePath(table));
        assertThat(after.status()).as(after.toString()).isEqualTo(200);
        assertThat(after.header("ETag")).isNotEqualTo(before);
    }

    @Test
    void given_a_column_added_later_when_reading_as_of_before_then_the_schema_without_it() {
        Instant beforeCreation = TenancySteps.instantBetweenEvents();
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        Instant beforeColumn = TenancySteps.instantBetweenEvents();
        as(alice).post(tablePath(table) + "/columns", Http.json("name", "likes", "type", "INT"));

        Http.Response then = as(alice).get(tablePath(table) + "?as_of=" + beforeColumn);
        Http.Response now = as(alice).get(tablePath(table));
        Http.Response notYet = as(alice).get(tablePath(table) + "?as_of=" + beforeCreation);

        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(TableFixtures.values(then.data().path("columns"), "name")).contains("title").doesNotContain("likes");
        assertThat(then.body().path("meta").path("as_of").asText()).isNotBlank();
        assertThat(TableFixtures.values(now.data().path("columns"), "name")).contains("title", "likes");
        assertThat(notYet.status()).as(notYet.toString()).isEqualTo(404);
    }

    @Test
    void given_tables_created_over_time_when_listing_as_of_then_only_those_that_existed() {
        String first = tables.aTable(alice, project, column("t", "TEXT")).path("name").asText();
        Instant between = TenancySteps.instantBetweenEvents();
        tables.aTable(alice, project, column("t", "TEXT"));

        Http.Response then = as(alice).get("/api/v1/tables?project_id=" + project + "&as_of=" + between);

        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(TableFixtures.values(then.data(), "name")).containsExactly(first);
    }

    // --- delete ----------------------------------------------------------------------------------------------

    @Test
    void given_a_table_with_rows_when_deleting_it_then_200_gone_from_the_api_and_from_postgresql() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String name = table.path("name").asText();
        TableFixtures.insert(service(), project, name, Http.json("title", "x"));

        Http.Response deleted = as(alice).delete(tablePath(table));

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(PhysicalSchema.tableExists(schemaOf(table), name)).isFalse();
        assertThat(as(alice).get(tablePath(table)).status()).isEqualTo(404);
        assertThat(tableNames()).doesNotContain(name);
        assertThat(service().get(dataPath(name)).status()).isEqualTo(404);
        assertThat(as(alice).delete(tablePath(table)).status()).isEqualTo(404);
        assertThat(as(alice).post(tablePath(table) + "/columns", Http.json("name", "x", "type", "INT")).status())
                .isEqualTo(404);
    }

    @Test
    void given_a_deleted_table_when_creating_one_with_its_name_then_201_and_it_starts_empty() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String name = table.path("name").asText();
        TableFixtures.insert(service(), project, name, Http.json("title", "x"));
        as(alice).delete(tablePath(table));

        Http.Response again = as(alice).post("/api/v1/tables", tableRequest(project, name, column("other", "INT")));

        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(PhysicalSchema.columns(schemaOf(again.data()), name)).containsKey("other").doesNotContainKey("title");
        assertThat(PhysicalSchema.rowCount(schemaOf(again.data()), name)).isZero();
    }

    @Test
    void given_an_if_match_with_an_old_version_when_deleting_then_412_and_the_table_stays() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String etag = as(alice).get(tablePath(table)).header("ETag");
        as(alice).post(tablePath(table) + "/columns", Http.json("name", "likes", "type", "INT"));

        Http.Response response = as(alice).with("If-Match", etag).delete(tablePath(table));

        assertThat(response.status()).as(response.toString()).isEqualTo(412);
        assertThat(PhysicalSchema.tableExists(schemaOf(table), table.path("name").asText())).isTrue();
    }

    // --- groups ----------------------------------------------------------------------------------------------

    @Test
    void given_a_group_id_when_creating_then_the_table_lives_in_that_groups_schema_and_is_addressed_as_group_dot_table() {
        String groupName = uniqueTableName("sales");
        String group = groupNamed(groupName);
        String name = uniqueTableName("orders");

        Http.Response created = as(alice).post("/api/v1/tables",
                tableRequest(project, name, column("total", "INT")).put("group_id", group));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.data().path("group_id").asText()).isEqualTo(group);
        assertThat(PhysicalSchema.tableExists(PhysicalSchema.schemaOf(group), name)).isTrue();
        assertThat(PhysicalSchema.tableExists(PhysicalSchema.schemaOf(publicGroup()), name)).isFalse();
        Http.Response inserted = service().post(dataPath(groupName + "." + name), Http.json("total", 5));
        assertThat(inserted.status()).as(inserted.toString()).isEqualTo(201);
        Http.Response read = service().get(dataPath(groupName + "." + name));
        assertThat(TableFixtures.values(read.data(), "total")).containsExactly("5");
        assertThat(service().get(dataPath(name)).status()).isEqualTo(404);
        assertThat(PhysicalSchema.rowCount(PhysicalSchema.schemaOf(group), name)).isEqualTo(1);
    }

    @Test
    void given_the_same_table_name_in_two_groups_then_both_exist_apart() {
        String groupName = uniqueTableName("sales");
        String group = groupNamed(groupName);
        String name = uniqueTableName("orders");
        tables.aTable(alice, tableRequest(project, name, column("n", "INT")));
        tables.aTable(alice, tableRequest(project, name, column("n", "INT")).put("group_id", group));

        TableFixtures.insert(service(), project, groupName + "." + name, Http.json("n", 1));

        assertThat(service().get(dataPath(name)).data()).isEmpty();
        assertThat(service().get(dataPath(groupName + "." + name)).data()).hasSize(1);
    }

    @Test
    void given_a_group_of_another_project_when_creating_a_table_in_it_then_404_and_no_table() {
        String otherProject = tenancy.project(alice, org, "Other").path("id").asText();
        String foreignGroup = ok(as(alice).post("/api/v1/groups",
                Http.json("project_id", otherProject, "name", uniqueTableName("g")))).path("id").asText();
        String name = uniqueTableName("orders");

        Http.Response response = as(alice).post("/api/v1/tables",
                tableRequest(project, name, column("n", "INT")).put("group_id", foreignGroup));

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(PhysicalSchema.tableExists(PhysicalSchema.schemaOf(foreignGroup), name)).isFalse();
    }

    @Test
    void given_a_group_with_a_table_when_deleting_the_group_then_409_until_the_table_is_gone() {
        String group = groupNamed(uniqueTableName("sales"));
        JsonNode table = tables.aTable(alice, tableRequest(project, uniqueTableName("orders"), column("n", "INT"))
                .put("group_id", group));

        Http.Response refused = as(alice).delete("/api/v1/groups/" + group);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("CONFLICT");
        assertThat(PhysicalSchema.tableExists(PhysicalSchema.schemaOf(group), table.path("name").asText())).isTrue();
        assertThat(as(alice).delete(tablePath(table)).status()).isEqualTo(200);
        Http.Response deleted = as(alice).delete("/api/v1/groups/" + group);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    }

    // --- history -----------------------------------------------------------------------------------------

    @Test
    void given_a_table_changed_in_every_way_when_reading_its_history_then_every_event_in_order_with_actor() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        ok(as(alice).post(tablePath(table) + "/columns", Http.json("name", "likes", "type", "INT")));
        ok(as(alice).post(tablePath(table) + "/indexes", Http.json("columns", List.of("likes"))));
        String index = as(alice).get(tablePath(table) + "/indexes").data().get(0).path("name").asText();
        ok(as(alice).delete(tablePath(table) + "/indexes/" + index));
        ok(as(alice).delete(tablePath(table) + "/columns/likes"));
        ok(as(alice).put(tablePath(table) + "/policies", Http.json("api_role", "anon", "operation", "SELECT",
                "allowed", true)));
        ok(as(alice).delete(tablePath(table)));

        Http.Response history = as(alice).get(tablePath(table) + "/history");

        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        assertThat(TableFixtures.values(history.data(), "type")).containsExactly("table.created",
                "table.column_added", "table.index_created", "table.index_dropped", "table.column_dropped",
                "table.policies_changed", "table.deleted");
        assertThat(TableFixtures.values(history.data(), "sequence")).containsExactly("0", "1", "2", "3", "4", "5", "6");
        history.data().forEach(entry -> {
            assertThat(entry.path("event_id").asText()).isNotBlank();
            assertThat(entry.path("occurred_at").asText()).isNotBlank();
            assertThat(entry.path("actor").path("id").asText()).isEqualTo(alice.userId());
        });
        assertThat(history.data().get(0).path("payload").path("name").asText()).isEqualTo(table.path("name").asText());
    }

    // --- who may do what -------------------------------------------------------------------------------

    @Test
    void given_a_viewer_when_creating_changing_or_deleting_a_table_then_403_but_reading_is_allowed() {
        Account viewer = accounts.anAccount();
        tenancy.addMember(alice, org, viewer, "viewer");
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String name = uniqueTableName("viewers");

        Http.Response create = as(viewer).post("/api/v1/tables", tableRequest(project, name, column("t", "TEXT")));
        Http.Response addColumn = as(viewer).post(tablePath(table) + "/columns", Http.json("name", "x", "type", "INT"));
        Http.Response index = as(viewer).post(tablePath(table) + "/indexes", Http.json("columns", List.of("title")));
        Http.Response dropColumn = as(viewer).delete(tablePath(table) + "/columns/title");
        Http.Response delete = as(viewer).delete(tablePath(table));

        assertThat(List.of(create.status(), addColumn.status(), index.status(), dropColumn.status(), delete.status()))
                .as(create + "\n" + addColumn + "\n" + index + "\n" + dropColumn + "\n" + delete)
                .containsOnly(403);
        assertThat(create.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(tableNames()).doesNotContain(name);
        assertThat(PhysicalSchema.columns(schemaOf(table), table.path("name").asText()))
                .containsKey("title").doesNotContainKey("x");
        assertThat(as(viewer).get(tablePath(table)).status()).isEqualTo(200);
        assertThat(as(viewer).get("/api/v1/tables?project_id=" + project).status()).isEqualTo(200);
    }

    @Test
    void given_a_developer_when_creating_a_table_then_201() {
        Account developer = accounts.anAccount();
        tenancy.addMember(alice, org, developer, "developer");

        Http.Response create = as(developer).post("/api/v1/tables",
                tableRequest(project, uniqueTableName("devs"), column("t", "TEXT")));

        assertThat(create.status()).as(create.toString()).isEqualTo(201);
    }

    @Test
    void given_a_stranger_when_using_another_tenants_table_ids_then_404_everywhere_and_nothing_changes() {
        Account stranger = accounts.anAccount();
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));
        String name = table.path("name").asText();

        List<Http.Response> responses = List.of(
                as(stranger).get(tablePath(table)),
                as(stranger).get(tablePath(table) + "/history"),
                as(stranger).get(tablePath(table) + "/indexes"),
                as(stranger).get(tablePath(table) + "/policies"),
                as(stranger).get("/api/v1/tables?project_id=" + project),
                as(stranger).post("/api/v1/tables", tableRequest(project, uniqueTableName("x"), column("t", "TEXT"))),
                as(stranger).post(tablePath(table) + "/columns", Http.json("name", "x", "type", "INT")),
                as(stranger).delete(tablePath(table) + "/columns/title"),
                as(stranger).post(tablePath(table) + "/indexes", Http.json("columns", List.of("title"))),
                as(stranger).put(tablePath(table) + "/policies", Http.json("api_role", "anon", "operation",
                        "SELECT", "allowed", true)),
                as(stranger).delete(tablePath(table)));

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("NOT_FOUND");
        });
        assertThat(PhysicalSchema.columns(schemaOf(table), name)).containsKey("title").doesNotContainKey("x");
        assertThat(tableNames()).containsExactly(name);
    }

    @Test
    void given_no_credentials_when_using_the_tables_api_then_401() {
        JsonNode table = tables.aTable(alice, project, column("title", "TEXT"));

        Http.Response read = http.get(tablePath(table));
        Http.Response create = http.post("/api/v1/tables", tableRequest(project, uniqueTableName("x")));

        assertThat(read.status()).as(read.toString()).isEqualTo(401);
        assertThat(create.status()).as(create.toString()).isEqualTo(401);
    }

    @Test
    void given_an_unknown_table_id_then_404() {
        Http.Response response = as(alice).get("/api/v1/tables/tbl_0000000000000000000000000000dead");

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private Http as(Account account) {
        return http.bearer(account.accessToken());
    }

    private Http service() {
        return tables.serviceKey(serviceKey);
    }

    private String dataPath(String table) {
        return "/api/v1/data/" + project + "/" + table;
    }

    private static String tablePath(JsonNode table) {
        return "/api/v1/tables/" + table.path("id").asText();
    }

    private static String schemaOf(JsonNode table) {
        return PhysicalSchema.schemaOf(table.path("group_id").asText());
    }

    private static JsonNode columnOf(JsonNode table, String name) {
        for (JsonNode column : table.path("columns")) {
            if (column.path("name").asText().equals(name)) {
                return column;
            }
        }
        throw new AssertionError("no column " + name + " in " + table);
    }

    private List<String> tableNames() {
        Http.Response list = as(alice).get("/api/v1/tables?project_id=" + project + "&limit=100");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return TableFixtures.values(list.data(), "name");
    }

    private String groupNamed(String name) {
        return ok(as(alice).post("/api/v1/groups", Http.json("project_id", project, "name", name))).path("id").asText();
    }

    private String publicGroup() {
        for (JsonNode group : as(alice).get("/api/v1/groups?project_id=" + project).data()) {
            if (group.path("name").asText().equals("public")) {
                return group.path("id").asText();
            }
        }
        throw new AssertionError("no public group");
    }

    private static JsonNode ok(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 299);
        return response.data();
    }
}
