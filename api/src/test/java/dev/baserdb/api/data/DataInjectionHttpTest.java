package dev.baserdb.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.PhysicalSchema;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.TenancySteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.tableRequest;
import static dev.baserdb.api.support.TableFixtures.uniqueTableName;
import static dev.baserdb.api.support.TableFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL injection through every door of the tables and data APIs (filters, their column names,
 * order, select, search, table and column names, types and defaults, index definitions, table
 * paths): each attempt changes nothing — the same managed tables with the same columns and rows,
 * no new event — and leaks nothing — an INVALID_FILTER / INVALID_SORT / VALIDATION_FAILED / 404
 * envelope without database error text, or 200 without a single row the query did not ask for.
 */
@ApiTest
class DataInjectionHttpTest {

    /** Text that only a database error or a stack trace would put into a response. */
    private static final List<String> LEAKS = List.of("syntax error", "does not exist", "Exception", "org.postgresql",
            "org.jooq", "\tat ", "at dev.baserdb", "SQLState", "SQL state", "Position:", "INTERNAL_ERROR");

    @LocalServerPort
    int port;

    Http http;
    TableFixtures tables;
    Account alice;
    String project;
    String serviceKey;
    JsonNode posts;
    String schema;
    String canary;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        TenancySteps tenancy = new TenancySteps(http);
        tables = new TableFixtures(http);
        alice = accounts.anAccount();
        String org = tenancy.organization(alice).path("id").asText();
        JsonNode created = tenancy.project(alice, org, "Injected");
        project = created.path("id").asText();
        serviceKey = created.path("service_key").asText();
        posts = tables.aTable(alice, tableRequest(project, "posts", column("title", "TEXT"), column("body", "TEXT"),
                column("likes", "INT"), column("due", "DATE")));
        schema = PhysicalSchema.schemaOf(posts.path("group_id").asText());
        tables.aTable(alice, tableRequest(project, "vault", column("secret", "TEXT")));
        canary = "CANARY-" + UUID.randomUUID();
        TableFixtures.insert(service(), project, "vault", Http.json("secret", canary));
        TableFixtures.insert(service(), project, "posts", Http.json("title", "alpha", "body", "first post", "likes", 1));
        TableFixtures.insert(service(), project, "posts", Http.json("title", "beta", "body", "second post", "likes", 2));
    }

    // --- fixtures ----------------------------------------------------------------------------------------

    private Http service() {
        return tables.serviceKey(serviceKey);
    }

    private Http as(Account account) {
        return http.bearer(account.accessToken());
    }

    private String data(String suffix) {
        return "/api/v1/data/" + project + "/" + suffix;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String parameter(String name, String value) {
        return encode(name) + "=" + encode(value);
    }

    /** Everything an injection could have changed: the managed tables, their columns and rows, the events. */
    private record State(List<String> tables, Map<String, Map<String, String>> columns, Map<String, Long> rows,
                         long events, long tableVersions) {
    }

    private State state() {
        List<String> managed = PhysicalSchema.allManagedTables();
        Map<String, Map<String, String>> columns = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : List.of("posts", "vault")) {
            Map<String, String> types = new LinkedHashMap<>();
            PhysicalSchema.columns(schema, table).forEach((name, column) -> types.put(name, column.dataType()));
            columns.put(table, types);
            rows.put(table, PhysicalSchema.rowCount(schema, table));
        }
        return new State(managed, columns, rows, PhysicalSchema.allEvents(),
                PhysicalSchema.count("select count(*) from table_versions"));
    }

    /** Runs the attempt and checks that nothing changed and nothing leaked; returns the response. */
    private Http.Response attempt(java.util.function.Supplier<Http.Response> request) {
        State before = state();
        Http.Response response = request.get();
        assertNoLeak(response);
        assertThat(state()).as("state after " + response).isEqualTo(before);
        return response;
    }

    private void assertNoLeak(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isLessThan(500);
        assertThat(response.text()).as("response").doesNotContain(canary);
        for (String leak : LEAKS) {
            assertThat(response.text()).as("response leaks " + leak).doesNotContain(leak);
        }
    }

    private static void assertRefused(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.toString()).isEqualTo(code);
        assertThat(response.body().path("success").asBoolean(true)).isFalse();
    }

    // --- filter values -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "eq.x' OR '1'='1",
            "eq.alpha' OR 'a'='a",
            "eq.x'; DROP TABLE posts; --",
            "eq.x' UNION SELECT secret, secret, 1, null FROM vault --",
            "like.x' OR 'a' LIKE 'a",
            "ilike.%' OR 1=1 --",
            "in.(x') OR ('1'='1)",
            "in.(x'),(SELECT secret FROM vault)--)",
            "gt.z' OR '1'='1",
            "x' OR '1'='1",
            "eq.\\' OR 1=1 --",
            "eq.$$ OR 1=1 $$"})
    void given_sql_in_a_text_filter_value_when_listing_then_200_and_no_row(String value) {
        Http.Response response = attempt(() -> service().get(data("posts?" + parameter("title", value))));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(values(response.data(), "title")).as(value).isEmpty();
    }

    @Test
    void given_a_value_with_quotes_when_it_is_stored_then_it_is_matched_literally() {
        String tricky = "o'brien\"; DROP TABLE posts; --";
        TableFixtures.insert(service(), project, "posts", Http.json("title", tricky));

        Http.Response response = attempt(() -> service().get(data("posts?" + parameter("title", "eq." + tricky))));

        assertThat(values(response.data(), "title")).containsExactly(tricky);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "likes|eq.1 OR 1=1",
            "likes|gt.0; DROP TABLE posts",
            "likes|in.(1) OR (1=1)",
            "likes|in.(1,2)) OR ((1=1",
            "likes|eq.1::text",
            "due|lt.2026-01-01' OR '1'='1",
            "body|is.null OR 1=1",
            "body|is.not null; DROP TABLE posts",
            "id|eq.00000000-0000-0000-0000-000000000000' OR '1'='1"})
    void given_sql_in_a_typed_filter_value_when_listing_then_400_INVALID_FILTER(String column, String value) {
        Http.Response response = attempt(() -> service().get(data("posts?" + parameter(column, value))));

        assertRefused(response, 400, "INVALID_FILTER");
    }

    @Test
    void given_sql_in_a_filter_value_of_count_and_aggregate_then_no_extra_rows_are_counted() {
        Http.Response count = attempt(() -> service().get(data("posts/count?" + parameter("title", "eq.x' OR '1'='1"))));
        Http.Response sum = attempt(() -> service().get(data("posts/aggregate?fn=sum&column=likes&"
                + parameter("title", "eq.x' OR '1'='1"))));

        assertThat(count.data().path("count").asLong()).isZero();
        assertThat(sum.data().get(0).path("value").isNull()).isTrue();
    }

    // --- filter column names -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "title\" OR 1=1 --",
            "title\"=\"title",
            "1=1 OR title",
            "title; DROP TABLE posts",
            "(SELECT secret FROM vault)",
            "vault.secret",
            "posts.title",
            "\"title\"",
            "TITLE",
            "title ",
            "deleted_at",
            "pg_sleep(1)"})
    void given_sql_in_a_filter_column_name_when_listing_then_400_INVALID_FILTER(String column) {
        Http.Response response = attempt(() -> service().get(data("posts?" + parameter(column, "eq.alpha"))));

        assertRefused(response, 400, "INVALID_FILTER");
    }

    // --- order and select ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "title; DROP TABLE posts",
            "title.asc; DROP TABLE posts",
            "(SELECT secret FROM vault)",
            "title desc",
            "title.asc NULLS FIRST",
            "likes.asc,1",
            "1",
            "title\".asc",
            "vault.secret",
            "random()",
            "CASE WHEN (SELECT count(*) FROM vault) > 0 THEN title ELSE body END"})
    void given_sql_in_order_when_listing_then_400_INVALID_SORT(String order) {
        Http.Response response = attempt(() -> service().get(data("posts?" + parameter("order", order))));

        assertRefused(response, 400, "INVALID_SORT");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "*",
            "title,(SELECT secret FROM vault)",
            "title; DROP TABLE posts",
            "count(*)",
            "title AS likes",
            "title\"",
            "vault.secret",
            "deleted_at"})
    void given_sql_in_select_when_listing_then_400_INVALID_FILTER(String select) {
        Http.Response response = attempt(() -> service().get(data("posts?" + parameter("select", select))));

        assertRefused(response, 400, "INVALID_FILTER");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "fn=sum&column=likes); DROP TABLE posts; --",
            "fn=count(*) FROM vault --&column=likes",
            "fn=max&column=(SELECT secret FROM vault)",
            "fn=count&group_by=title; DROP TABLE posts",
            "fn=count&group_by=1"})
    void given_sql_in_an_aggregate_when_aggregating_then_400_INVALID_FILTER(String query) {
        String encoded = String.join("&", java.util.Arrays.stream(query.split("&"))
                .map(pair -> parameter(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)))
                .toList());

        Http.Response response = attempt(() -> service().get(data("posts/aggregate?" + encoded)));

        assertRefused(response, 400, "INVALID_FILTER");
    }

    // --- search, limits, as_of, row ids --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "x') OR 1=1 --",
            "' OR '1'='1",
            "post'; DROP TABLE posts; --",
            "') UNION SELECT secret FROM vault --",
            "!!&|:*()",
            "\\"})
    void given_sql_in_search_when_listing_then_200_and_no_row(String search) {
        Http.Response response = attempt(() -> service().get(data("posts?" + parameter("search", search))));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data()).as("no row holds every word of " + search).isEmpty();
    }

    @Test
    void given_a_search_word_then_the_full_text_search_still_works_after_all() {
        Http.Response response = attempt(() -> service().get(data("posts?search=second")));

        assertThat(values(response.data(), "title")).containsExactly("beta");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "limit|1; DROP TABLE posts",
            "limit|1 OR 1=1",
            "offset|0; DROP TABLE posts",
            "as_of|2026-01-01T00:00:00Z' OR '1'='1",
            "count|exact; DROP TABLE posts"})
    void given_sql_in_paging_or_as_of_when_listing_then_400(String name, String value) {
        Http.Response response = attempt(() -> service().get(data("posts?" + parameter(name, value))));

        assertRefused(response, 400, "VALIDATION_FAILED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1' OR '1'='1", "1 OR 1=1", "00000000-0000-0000-0000-000000000000' OR '1'='1"})
    void given_sql_as_a_row_id_when_reading_changing_or_deleting_then_404(String id) {
        String path = data("posts/" + encode(id));

        assertRefused(attempt(() -> service().get(path)), 404, "NOT_FOUND");
        assertRefused(attempt(() -> service().patch(path, Http.json("title", "x"))), 404, "NOT_FOUND");
        assertRefused(attempt(() -> service().delete(path)), 404, "NOT_FOUND");
        assertRefused(attempt(() -> service().get(path + "/history")), 404, "NOT_FOUND");
    }

    // --- table paths of the data API -------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "posts; DROP TABLE posts",
            "posts\" --",
            "pg_catalog.pg_authid",
            "pg_catalog.pg_tables",
            "information_schema.tables",
            "public.table_versions",
            "table_versions",
            "domainevententry",
            "posts.title",
            "public.vault; SELECT 1"})
    void given_sql_or_a_system_table_as_the_table_when_reading_or_writing_then_404(String table) {
        String path = data(encode(table));

        assertRefused(attempt(() -> service().get(path)), 404, "NOT_FOUND");
        assertRefused(attempt(() -> service().post(path, Http.json("title", "x"))), 404, "NOT_FOUND");
    }

    @Test
    void given_sql_as_a_table_in_a_transaction_then_404_and_nothing_applies() {
        ObjectNode body = Http.JSON.createObjectNode();
        body.putArray("operations")
                .add(Http.json("op", "insert", "table", "posts", "values", Http.json("title", "gamma")))
                .add(Http.json("op", "insert", "table", "posts; DROP TABLE vault", "values", Http.json("secret", "x")));

        Http.Response response = attempt(() -> service().post(data("transaction"), body));

        assertRefused(response, 404, "NOT_FOUND");
    }

    // --- column names and values in written rows -----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"title\" = 'x'; --", "title, likes", "(SELECT 1)", "created_at", "deleted_at", "TITLE"})
    void given_sql_as_a_column_name_when_inserting_then_400_and_nothing_is_written(String column) {
        Http.Response response = attempt(() -> service().post(data("posts"), Http.json(column, "x")));

        assertRefused(response, 400, "VALIDATION_FAILED");
    }

    @Test
    void given_sql_in_written_values_then_they_are_stored_and_read_back_literally() {
        String value = "'); DROP TABLE posts; --";
        State before = state();

        Http.Response inserted = service().post(data("posts"), Http.json("title", value, "body", "x' OR '1'='1"));

        assertThat(inserted.status()).as(inserted.toString()).isEqualTo(201);
        String id = inserted.data().path("id").asText();
        Http.Response patched = service().patch(data("posts/" + id), Http.json("body", "1; DELETE FROM vault"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        JsonNode read = service().get(data("posts/" + id)).data();
        assertThat(read.path("title").asText()).isEqualTo(value);
        assertThat(read.path("body").asText()).isEqualTo("1; DELETE FROM vault");
        State after = state();
        assertThat(after.tables()).isEqualTo(before.tables());
        assertThat(after.columns()).isEqualTo(before.columns());
        assertThat(after.rows()).containsEntry("posts", before.rows().get("posts") + 1)
                .containsEntry("vault", before.rows().get("vault"));
    }

    @Test
    void given_sql_in_a_data_login_then_401_or_400_and_nothing_leaks() {
        tables.aTable(alice, tableRequest(project, "members", column("email", "TEXT"), column("password", "PASSWORD")));
        TableFixtures.insert(service(), project, "members", Http.json("email", "ann@example.com", "password", "s3cret!"));

        Http.Response valueInjection = attempt(() -> http.post(data("members/login"),
                Http.json("email", "x' OR '1'='1", "password", "anything")));
        Http.Response passwordInjection = attempt(() -> http.post(data("members/login"),
                Http.json("email", "ann@example.com", "password", "' OR '1'='1")));
        Http.Response columnInjection = attempt(() -> http.post(data("members/login"),
                Http.json("email' OR '1'='1", "ann@example.com", "password", "anything")));

        assertRefused(valueInjection, 401, "INVALID_CREDENTIALS");
        assertRefused(passwordInjection, 401, "INVALID_CREDENTIALS");
        assertRefused(columnInjection, 400, "VALIDATION_FAILED");
    }

    // --- table and column names, types, defaults and indexes at creation ------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "posts; DROP TABLE vault",
            "x\"; DROP TABLE vault; --",
            "vault\" (secret text); --",
            "public.posts",
            "pg_catalog.evil",
            "posts--",
            "x' OR '1'='1",
            "posts/*"})
    void given_sql_as_a_table_name_when_creating_then_400_VALIDATION_FAILED_and_no_new_table(String name) {
        Http.Response response = attempt(() -> as(alice).post("/api/v1/tables",
                tableRequest(project, name, column("title", "TEXT"))));

        assertRefused(response, 400, "VALIDATION_FAILED");
        assertThat(response.body().path("error").path("details").has("name")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a\" text); DROP TABLE vault; --",
            "title text, evil",
            "x' OR '1'='1",
            "(SELECT 1)",
            "evil\"",
            "a b"})
    void given_sql_as_a_column_name_when_creating_a_table_or_adding_a_column_then_400_and_nothing_changes(String name) {
        String table = uniqueTableName("injected");

        Http.Response create = attempt(() -> as(alice).post("/api/v1/tables",
                tableRequest(project, table, column(name, "TEXT"))));
        Http.Response add = attempt(() -> as(alice).post("/api/v1/tables/" + posts.path("id").asText() + "/columns",
                Http.json("name", name, "type", "TEXT")));

        assertRefused(create, 400, "VALIDATION_FAILED");
        assertRefused(add, 400, "VALIDATION_FAILED");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "TEXT); DROP TABLE vault; --",
            "TEXT DEFAULT 'x'",
            "VARCHAR(10); DROP TABLE vault",
            "INT CHECK (1=1)",
            "TEXT REFERENCES vault",
            "text[]",
            "DECIMAL(10,2); --"})
    void given_sql_in_a_column_type_when_creating_a_table_or_adding_a_column_then_400_and_nothing_changes(String type) {
        String table = uniqueTableName("injected");

        Http.Response create = attempt(() -> as(alice).post("/api/v1/tables",
                tableRequest(project, table, column("x", type))));
        Http.Response add = attempt(() -> as(alice).post("/api/v1/tables/" + posts.path("id").asText() + "/columns",
                Http.json("name", "x", "type", type)));

        assertRefused(create, 400, "VALIDATION_FAILED");
        assertRefused(add, 400, "VALIDATION_FAILED");
    }

    @Test
    void given_sql_in_a_text_default_when_creating_a_table_then_it_is_an_ordinary_default_value() {
        String evil = "x'); DROP TABLE vault; --";
        State before = state();

        JsonNode created = tables.aTable(alice, tableRequest(project, uniqueTableName("defaults"),
                column("note", "TEXT").put("default", evil), column("n", "INT")));

        State after = state();
        assertThat(after.rows()).isEqualTo(before.rows());
        assertThat(after.columns()).isEqualTo(before.columns());
        assertThat(after.tables()).containsAll(before.tables()).hasSize(before.tables().size() + 2);
        JsonNode row = TableFixtures.insert(service(), project, created.path("name").asText(), Http.json("n", 1));
        assertThat(row.path("note").asText()).isEqualTo(evil);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1; DROP TABLE vault", "now()); DROP TABLE vault; --"})
    void given_sql_in_an_int_default_when_creating_a_table_then_400(String value) {
        Http.Response response = attempt(() -> as(alice).post("/api/v1/tables", tableRequest(project,
                uniqueTableName("defaults"), column("n", "INT").put("default", value))));

        assertRefused(response, 400, "VALIDATION_FAILED");
    }

    @Test
    void given_sql_in_an_index_name_or_its_columns_when_creating_an_index_then_400_and_no_index() {
        String indexes = "/api/v1/tables/" + posts.path("id").asText() + "/indexes";
        List<String> before = PhysicalSchema.indexDefinitions(schema, "posts");

        Http.Response name = attempt(() -> as(alice).post(indexes,
                Http.json("columns", List.of("title"), "name", "x ON vault (secret); DROP TABLE vault; --")));
        Http.Response columns = attempt(() -> as(alice).post(indexes,
                Http.json("columns", List.of("title); DROP TABLE vault; --"))));
        Http.Response expression = attempt(() -> as(alice).post(indexes,
                Http.json("columns", List.of("lower(title)"))));

        assertRefused(name, 400, "VALIDATION_FAILED");
        assertRefused(columns, 400, "VALIDATION_FAILED");
        assertRefused(expression, 400, "VALIDATION_FAILED");
        assertThat(PhysicalSchema.indexDefinitions(schema, "posts")).isEqualTo(before);
    }

    @Test
    void given_sql_as_a_column_or_index_to_drop_then_404_and_nothing_changes() {
        String table = "/api/v1/tables/" + posts.path("id").asText();

        Http.Response column = attempt(() -> as(alice).delete(table + "/columns/" + encode("title; DROP TABLE vault")));
        Http.Response index = attempt(() -> as(alice).delete(table + "/indexes/" + encode("x; DROP TABLE vault")));

        assertRefused(column, 404, "NOT_FOUND");
        assertRefused(index, 404, "NOT_FOUND");
    }

    @Test
    void given_sql_as_a_group_id_when_creating_a_table_then_404_and_nothing_changes() {
        Http.Response response = attempt(() -> as(alice).post("/api/v1/tables",
                tableRequest(project, uniqueTableName("t"), column("t", "TEXT")).put("group_id", "grp_x' OR '1'='1")));

        assertRefused(response, 404, "NOT_FOUND");
    }
}
