package dev.baserdb.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Accounts.Account;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.PhysicalSchema;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TenancySteps;
import dev.baserdb.api.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.TableFixtures.required;
import static dev.baserdb.api.support.TableFixtures.tableRequest;
import static dev.baserdb.api.support.TableFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data API over real HTTP (API.md §7): every route with its good and bad inputs, checked
 * against the physical table and the event store — every write an event, every refused write
 * neither a row nor an event.
 */
@ApiTest
class DataApiHttpTest {

    private static final String TABLE = "posts";

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
    JsonNode posts;

    @Autowired
    TestClock clock;

    @AfterEach
    void releaseTheClock() {
        clock.release();
    }

    @BeforeEach
    void setUp() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new TenancySteps(http);
        tables = new TableFixtures(http);
        alice = accounts.anAccount();
        org = tenancy.organization(alice).path("id").asText();
        JsonNode created = tenancy.project(alice, org, "Data");
        project = created.path("id").asText();
        serviceKey = created.path("service_key").asText();
        posts = tables.aTable(alice, tableRequest(project, TABLE,
                required("title", "TEXT"), column("body", "TEXT"), column("likes", "INT"),
                column("score", "DECIMAL(10,2)"), column("rating", "FLOAT"), column("published", "BOOLEAN"),
                column("status", "VARCHAR(20)"), column("due", "DATE"), column("happened", "TIMESTAMPTZ"),
                column("owner", "UUID"), column("meta", "JSON"), TableFixtures.unique("slug", "VARCHAR(40)")));
    }

    // --- fixtures ----------------------------------------------------------------------------------------

    private Http service() {
        return tables.serviceKey(serviceKey);
    }

    private Http as(Account account) {
        return http.bearer(account.accessToken());
    }

    private String path() {
        return "/api/v1/data/" + project + "/" + TABLE;
    }

    private String path(String suffix) {
        return path() + suffix;
    }

    private JsonNode aPost(Object... keyValues) {
        return TableFixtures.insert(service(), project, TABLE, Http.json(keyValues));
    }

    private String aPostId(Object... keyValues) {
        return aPost(keyValues).path("id").asText();
    }

    /** Four posts that every filter operator can tell apart. */
    private void fourPosts() {
        aPost("title", "alpha", "body", "the quick brown fox", "likes", 1, "score", 1.5, "rating", 0.5,
                "published", true, "status", "draft", "due", "2026-01-10", "happened", "2026-01-10T10:00:00Z",
                "slug", "a");
        aPost("title", "beta", "likes", 2, "score", 2.25, "rating", 1.5, "published", false, "status", "live",
                "due", "2026-02-10", "slug", "b");
        aPost("title", "gamma", "body", "a lazy dog sleeps", "likes", 3, "score", 10, "rating", 2.5,
                "published", true, "status", "live", "due", "2026-03-10", "slug", "c");
        aPost("title", "ALPHA two", "likes", 4, "score", 0, "status", "draft", "slug", "d");
    }

    private List<String> titles(String query) {
        Http.Response response = service().get(path("?" + query));
        assertThat(response.status()).as(query + " → " + response).isEqualTo(200);
        return values(response.data(), "title");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private long rowsInserted() {
        return PhysicalSchema.eventsOfType("RowInserted");
    }

    private long physicalRows() {
        return PhysicalSchema.rowCount(PhysicalSchema.schemaOf(posts.path("group_id").asText()), TABLE);
    }

    private static JsonNode details(Http.Response response) {
        return response.body().path("error").path("details");
    }

    private static ObjectNode op(String op, Object... keyValues) {
        ObjectNode operation = Http.json(keyValues);
        operation.put("op", op);
        if (!operation.has("table")) {
            operation.put("table", TABLE);
        }
        return operation;
    }

    private static ObjectNode operations(ObjectNode... operations) {
        ObjectNode body = Http.JSON.createObjectNode();
        ArrayNode array = body.putArray("operations");
        for (ObjectNode operation : operations) {
            array.add(operation);
        }
        return body;
    }

    // --- list: filters -----------------------------------------------------------------------------------

    @Test
    void given_rows_when_filtering_with_eq_or_a_bare_value_then_only_equal_rows() {
        fourPosts();

        assertThat(titles("title=eq.beta")).containsExactly("beta");
        assertThat(titles("title=beta")).containsExactly("beta");
        assertThat(titles("likes=eq.3")).containsExactly("gamma");
        assertThat(titles("published=eq.false")).containsExactly("beta");
        assertThat(titles("slug=eq.zzz")).isEmpty();
    }

    @Test
    void given_rows_when_filtering_with_neq_then_every_other_row() {
        fourPosts();

        assertThat(titles("title=neq.beta&order=likes.asc")).containsExactly("alpha", "gamma", "ALPHA two");
    }

    @Test
    void given_rows_when_filtering_with_gt_gte_lt_lte_then_the_ranges() {
        fourPosts();

        assertThat(titles("likes=gt.2&order=likes.asc")).containsExactly("gamma", "ALPHA two");
        assertThat(titles("likes=gte.2&order=likes.asc")).containsExactly("beta", "gamma", "ALPHA two");
        assertThat(titles("likes=lt.2&order=likes.asc")).containsExactly("alpha");
        assertThat(titles("likes=lte.2&order=likes.asc")).containsExactly("alpha", "beta");
        assertThat(titles("score=gte.2.25&order=likes.asc")).containsExactly("beta", "gamma");
        assertThat(titles("rating=lt.1.0&order=likes.asc")).containsExactly("alpha");
        assertThat(titles("due=lt.2026-02-01")).containsExactly("alpha");
        assertThat(titles("happened=gt.2026-01-10T09:59:59Z")).containsExactly("alpha");
    }

    @Test
    void given_rows_when_filtering_with_like_and_ilike_then_case_sensitive_and_insensitive_patterns() {
        fourPosts();

        assertThat(titles("title=like.alp*&order=likes.asc")).containsExactly("alpha");
        assertThat(titles("title=ilike.alp*&order=likes.asc")).containsExactly("alpha", "ALPHA two");
        assertThat(titles("title=like." + encode("%ta"))).containsExactly("beta");
        assertThat(titles("body=ilike.*LAZY*")).containsExactly("gamma");
    }

    @Test
    void given_rows_when_filtering_with_in_then_any_of_the_values() {
        fourPosts();

        assertThat(titles("likes=in.(1,3)&order=likes.asc")).containsExactly("alpha", "gamma");
        assertThat(titles("status=in.(live)&order=likes.asc")).containsExactly("beta", "gamma");
    }

    @Test
    void given_rows_when_filtering_with_is_then_null_not_null_true_false() {
        fourPosts();

        assertThat(titles("body=is.null&order=likes.asc")).containsExactly("beta", "ALPHA two");
        assertThat(titles("body=is.not_null&order=likes.asc")).containsExactly("alpha", "gamma");
        assertThat(titles("published=is.true&order=likes.asc")).containsExactly("alpha", "gamma");
        assertThat(titles("published=is.false")).containsExactly("beta");
        assertThat(titles("published=is.null")).containsExactly("ALPHA two");
    }

    @Test
    void given_rows_when_filtering_on_two_columns_then_both_hold() {
        fourPosts();

        assertThat(titles("status=eq.live&likes=gt.2")).containsExactly("gamma");
    }

    @Test
    void given_a_uuid_column_when_filtering_by_it_then_the_matching_row() {
        String owner = UUID.randomUUID().toString();
        aPost("title", "mine", "owner", owner);
        aPost("title", "theirs", "owner", UUID.randomUUID().toString());

        assertThat(titles("owner=eq." + owner)).containsExactly("mine");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nope=eq.1|nope",
            "likes=gt.many|likes",
            "likes=between.1|likes",
            "due=lt.yesterday|due",
            "published=gt.true|published",
            "likes=like.1*|likes",
            "likes=in.1,2|likes",
            "body=is.maybe|body",
            "meta=eq.1|meta",
            "owner=eq.not-a-uuid|owner"})
    void given_a_filter_the_table_cannot_answer_when_listing_then_400_INVALID_FILTER_naming_it(String filter,
                                                                                                String column) {
        fourPosts();

        Http.Response response = service().get(path("?" + filter));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_FILTER");
        assertThat(details(response).has(column)).as(response.toString()).isTrue();
    }

    // --- list: order, select, paging, count ------------------------------------------------------------

    @Test
    void given_rows_when_ordering_by_two_columns_then_by_the_first_then_the_second() {
        fourPosts();

        assertThat(titles("order=status.asc,likes.desc")).containsExactly("ALPHA two", "alpha", "gamma", "beta");
        assertThat(titles("order=status.desc,likes.asc")).containsExactly("beta", "gamma", "alpha", "ALPHA two");
    }

    @Test
    void given_rows_when_listing_without_order_then_newest_first() {
        fourPosts();

        assertThat(titles("")).containsExactly("ALPHA two", "gamma", "beta", "alpha");
    }

    @Test
    void given_an_order_the_table_cannot_answer_when_listing_then_400_INVALID_SORT() {
        fourPosts();

        for (String order : List.of("nope.asc", "likes.sideways", "meta.asc", "likes.asc.desc")) {
            Http.Response response = service().get(path("?order=" + order));
            assertThat(response.status()).as(order + " → " + response).isEqualTo(400);
            assertThat(response.errorCode()).as(order).isEqualTo("INVALID_SORT");
        }
    }

    @Test
    void given_select_when_listing_then_only_those_columns() {
        fourPosts();

        Http.Response response = service().get(path("?select=title,likes&order=likes.asc&limit=1"));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode row = response.data().get(0);
        List<String> fields = new ArrayList<>();
        row.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("title", "likes");
        assertThat(row.path("title").asText()).isEqualTo("alpha");
    }

    @Test
    void given_select_of_an_unknown_column_when_listing_then_400() {
        fourPosts();

        Http.Response response = service().get(path("?select=title,nope"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("INVALID_FILTER");
    }

    @Test
    void given_rows_when_paging_with_limit_and_offset_then_that_window_with_has_more_and_a_next_link() {
        fourPosts();

        Http.Response page = service().get(path("?order=likes.asc&limit=2&offset=1"));

        assertThat(values(page.data(), "title")).containsExactly("beta", "gamma");
        JsonNode meta = page.body().path("meta").path("page");
        assertThat(meta.path("limit").asInt()).isEqualTo(2);
        assertThat(meta.path("offset").asInt()).isEqualTo(1);
        assertThat(meta.path("has_more").asBoolean()).isTrue();
        assertThat(page.header("Link")).contains("offset=3").contains("rel=\"next\"");
        Http.Response last = service().get(path("?order=likes.asc&limit=2&offset=3"));
        assertThat(values(last.data(), "title")).containsExactly("ALPHA two");
        assertThat(last.body().path("meta").path("page").path("has_more").asBoolean(true)).isFalse();
        assertThat(last.header("Link")).isNull();
    }

    @Test
    void given_no_limit_when_listing_then_20_rows() {
        ArrayNode rows = Http.JSON.createArrayNode();
        for (int i = 0; i < 25; i++) {
            rows.add(Http.json("title", "row " + i));
        }
        assertThat(service().post(path("/batch"), rows).status()).isEqualTo(201);

        Http.Response page = service().get(path());

        assertThat(page.data()).hasSize(20);
        assertThat(page.body().path("meta").path("page").path("limit").asInt()).isEqualTo(20);
    }

    @Test
    void given_a_limit_out_of_range_when_listing_then_400() {
        for (String limit : List.of("0", "1001", "-1", "many")) {
            Http.Response response = service().get(path("?limit=" + limit));
            assertThat(response.status()).as(limit + " → " + response).isEqualTo(400);
            assertThat(details(response).has("limit")).isTrue();
        }
        assertThat(service().get(path("?limit=1000")).status()).isEqualTo(200);
    }

    @Test
    void given_count_exact_when_listing_then_the_total_in_meta_and_x_total_count() {
        fourPosts();

        Http.Response counted = service().get(path("?count=exact&limit=1&status=eq.live"));
        Http.Response uncounted = service().get(path("?limit=1"));

        assertThat(counted.data()).hasSize(1);
        assertThat(counted.body().path("meta").path("page").path("total").asInt()).isEqualTo(2);
        assertThat(counted.header("X-Total-Count")).isEqualTo("2");
        assertThat(uncounted.body().path("meta").path("page").path("total").isNull()).isTrue();
        assertThat(uncounted.header("X-Total-Count")).isNull();
    }

    @Test
    void given_text_rows_when_searching_then_full_text_matches_over_all_text_columns() {
        fourPosts();

        assertThat(titles("search=" + encode("quick fox"))).containsExactly("alpha");
        assertThat(titles("search=dogs")).isEmpty();
        assertThat(titles("search=sleeps")).containsExactly("gamma");
        assertThat(titles("search=live&order=likes.asc")).containsExactly("beta", "gamma");
        assertThat(titles("search=two")).containsExactly("ALPHA two");
        assertThat(titles("search=fox&likes=gt.1")).isEmpty();
    }

    // --- list: as_of and include_deleted ---------------------------------------------------------------

    @Test
    void given_rows_inserted_updated_and_deleted_when_listing_as_of_each_instant_then_the_rows_of_that_instant() {
        Instant empty = TenancySteps.instantBetweenEvents();
        String first = aPostId("title", "first");
        Instant oneRow = TenancySteps.instantBetweenEvents();
        aPost("title", "second");
        service().patch(path("/" + first), Http.json("title", "first, edited"));
        Instant edited = TenancySteps.instantBetweenEvents();
        service().delete(path("/" + first));

        assertThat(titles("as_of=" + empty)).isEmpty();
        assertThat(titles("as_of=" + oneRow)).containsExactly("first");
        assertThat(titles("as_of=" + edited + "&order=title.asc")).containsExactly("first, edited", "second");
        assertThat(titles("")).containsExactly("second");
        Http.Response response = service().get(path("?as_of=" + oneRow));
        assertThat(response.body().path("meta").path("as_of").asText()).isNotBlank();
    }

    @Test
    void given_a_bad_as_of_when_listing_then_400() {
        Http.Response response = service().get(path("?as_of=yesterday"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(details(response).has("as_of")).isTrue();
    }

    @Test
    void given_a_deleted_row_when_an_operator_lists_with_include_deleted_then_it_is_there() {
        aPost("title", "kept");
        String gone = aPostId("title", "gone");
        service().delete(path("/" + gone));

        assertThat(titles("order=title.asc")).containsExactly("kept");
        assertThat(titles("include_deleted=true&order=title.asc")).containsExactly("gone", "kept");
        Http.Response asOwner = as(alice).get(path("?include_deleted=true&order=title.asc"));
        assertThat(values(asOwner.data(), "title")).containsExactly("gone", "kept");
    }

    @Test
    void given_anon_when_listing_with_include_deleted_then_403() {
        Http.Response response = http.get(path("?include_deleted=true"));

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.errorCode()).isEqualTo("FORBIDDEN");
    }

    // --- insert ------------------------------------------------------------------------------------------

    @Test
    void given_values_of_every_type_when_inserting_then_201_with_the_row_as_stored_and_one_event() {
        long before = rowsInserted();
        String owner = UUID.randomUUID().toString();

        Http.Response inserted = service().post(path(), Http.json("title", "hello", "body", "world", "likes", 5,
                "score", 12.5, "rating", 0.25, "published", true, "status", "live", "due", "2026-11-22",
                "happened", "2026-11-22T10:15:30Z", "owner", owner, "meta", Http.json("tags", List.of("a", "b")),
                "slug", "hello"));

        assertThat(inserted.status()).as(inserted.toString()).isEqualTo(201);
        JsonNode row = inserted.data();
        UUID id = UUID.fromString(row.path("id").asText());
        assertThat(id.version()).isEqualTo(7);
        assertThat(row.path("created_at").asText()).isNotBlank();
        assertThat(row.path("updated_at").asText()).isEqualTo(row.path("created_at").asText());
        assertThat(row.path("title").asText()).isEqualTo("hello");
        assertThat(row.path("likes").asInt()).isEqualTo(5);
        assertThat(row.path("score").decimalValue()).isEqualByComparingTo(new BigDecimal("12.50"));
        assertThat(row.path("rating").asDouble()).isEqualTo(0.25);
        assertThat(row.path("published").asBoolean()).isTrue();
        assertThat(row.path("due").asText()).isEqualTo("2026-11-22");
        assertThat(Instant.parse(row.path("happened").asText())).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(row.path("owner").asText()).isEqualTo(owner);
        assertThat(row.path("meta").path("tags").get(1).asText()).isEqualTo("b");
        assertThat(rowsInserted()).isEqualTo(before + 1);
        assertThat(TenancySteps.eventCount(id.toString(), "RowInserted")).isEqualTo(1);
        assertThat(physicalRows()).isEqualTo(1);
    }

    @Test
    void given_an_unknown_column_when_inserting_then_400_naming_it_and_no_row_and_no_event() {
        long before = rowsInserted();

        Http.Response response = service().post(path(), Http.json("title", "x", "colour", "red"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(details(response).has("colour")).isTrue();
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "likes|\"many\"",
            "likes|1.5",
            "likes|3000000000",
            "score|\"lots\"",
            "rating|\"high\"",
            "published|\"yes\"",
            "published|1",
            "status|\"this status is far longer than twenty characters\"",
            "due|\"2026-13-45\"",
            "happened|\"yesterday\"",
            "owner|\"not-a-uuid\"",
            "title|42"})
    void given_a_value_of_the_wrong_type_when_inserting_then_400_naming_the_column_and_no_event(String column,
                                                                                              String json) throws Exception {
        long before = rowsInserted();
        ObjectNode values = Http.json("title", "x");
        values.set(column, Http.JSON.readTree(json));

        Http.Response response = service().post(path(), values);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(details(response).path(column).asText()).as(response.toString()).isNotBlank();
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(before);
    }

    @Test
    void given_a_missing_not_null_value_when_inserting_then_400_naming_the_column_and_no_event() {
        long before = rowsInserted();

        Http.Response missing = service().post(path(), Http.json("body", "no title"));
        ObjectNode nullTitle = Http.json("body", "null title");
        nullTitle.putNull("title");
        Http.Response explicitNull = service().post(path(), nullTitle);

        assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
        assertThat(details(missing).has("title")).isTrue();
        assertThat(explicitNull.status()).as(explicitNull.toString()).isEqualTo(400);
        assertThat(details(explicitNull).has("title")).isTrue();
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(before);
    }

    @Test
    void given_a_unique_value_taken_when_inserting_then_409_and_no_second_row_or_event() {
        aPost("title", "first", "slug", "taken");
        long before = rowsInserted();

        Http.Response response = service().post(path(), Http.json("title", "second", "slug", "taken"));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo("CONFLICT");
        assertThat(physicalRows()).isEqualTo(1);
        assertThat(rowsInserted()).isEqualTo(before);
    }

    @Test
    void given_a_deleted_rows_unique_value_when_inserting_it_again_then_201() {
        String first = aPostId("title", "first", "slug", "reused");
        service().delete(path("/" + first));

        Http.Response response = service().post(path(), Http.json("title", "second", "slug", "reused"));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    @Test
    void given_a_client_supplied_uuid_when_inserting_then_the_row_has_that_id() {
        String id = UUID.randomUUID().toString();

        Http.Response response = service().post(path(), Http.json("id", id, "title", "mine"));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.data().path("id").asText()).isEqualTo(id);
        assertThat(service().get(path("/" + id)).data().path("title").asText()).isEqualTo("mine");
    }

    @Test
    void given_a_client_supplied_id_already_used_when_inserting_then_409_and_the_first_row_stays() {
        String id = UUID.randomUUID().toString();
        aPost("id", id, "title", "first");
        long before = rowsInserted();

        Http.Response response = service().post(path(), Http.json("id", id, "title", "second"));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(service().get(path("/" + id)).data().path("title").asText()).isEqualTo("first");
        assertThat(rowsInserted()).isEqualTo(before);
    }

    @Test
    void given_a_client_supplied_id_used_by_a_row_of_another_table_when_inserting_then_409_and_nothing_written() {
        tables.aTable(alice, tableRequest(project, "notes", column("title", "TEXT")));
        String id = UUID.randomUUID().toString();
        TableFixtures.insert(service(), project, "notes", Http.json("id", id, "title", "a note"));
        long before = rowsInserted();

        Http.Response response = service().post(path(), Http.json("id", id, "title", "a post"));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(before);
        assertThat(service().get("/api/v1/data/" + project + "/notes/" + id).data().path("title").asText())
                .isEqualTo("a note");
    }

    @Test
    void given_a_bad_client_supplied_id_when_inserting_then_400_with_details_id() {
        for (Object id : List.of("not-a-uuid", 42, "")) {
            Http.Response response = service().post(path(), Http.json("id", id, "title", "x"));
            assertThat(response.status()).as(id + " → " + response).isEqualTo(400);
            assertThat(details(response).has("id")).as(response.toString()).isTrue();
        }
        assertThat(physicalRows()).isZero();
    }

    @Test
    void given_a_system_timestamp_in_the_values_when_inserting_then_400() {
        Http.Response response = service().post(path(), Http.json("title", "x", "created_at", "2020-01-01T00:00:00Z"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(details(response).has("created_at")).isTrue();
    }

    @Test
    void given_a_body_that_is_not_an_object_when_inserting_then_400() {
        Http.Response array = service().post(path(), Http.JSON.createArrayNode());
        Http.Response garbage = service().send("POST", path(), "{not json", "application/json");

        assertThat(array.status()).as(array.toString()).isEqualTo(400);
        assertThat(garbage.status()).as(garbage.toString()).isEqualTo(400);
    }

    @Test
    void given_mixed_case_column_names_then_filters_order_and_select_use_them_exactly() {
        tables.aTable(alice, tableRequest(project, "Events", column("Title", "TEXT"), column("likeCount", "INT")));
        String events = "/api/v1/data/" + project + "/Events";
        TableFixtures.insert(service(), project, "Events", Http.json("Title", "B", "likeCount", 1));
        TableFixtures.insert(service(), project, "Events", Http.json("Title", "A", "likeCount", 2));

        Http.Response filtered = service().get(events + "?Title=eq.A&select=Title,likeCount");
        Http.Response ordered = service().get(events + "?order=likeCount.asc");
        Http.Response otherCase = service().get(events + "?title=eq.A");

        assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
        assertThat(values(filtered.data(), "likeCount")).containsExactly("2");
        assertThat(values(ordered.data(), "Title")).containsExactly("B", "A");
        assertThat(otherCase.status()).as(otherCase.toString()).isEqualTo(400);
        assertThat(otherCase.errorCode()).isEqualTo("INVALID_FILTER");
    }

    @Test
    void given_a_column_added_after_a_row_when_listing_as_of_before_then_the_row_reads_with_it_empty() {
        String id = aPostId("title", "old");
        Instant beforeColumn = TenancySteps.instantBetweenEvents();
        Http.Response added = as(alice).post("/api/v1/tables/" + posts.path("id").asText() + "/columns",
                Http.json("name", "extra", "type", "INT"));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(service().patch(path("/" + id), Http.json("extra", 5)).status()).isEqualTo(200);

        Http.Response then = service().get(path("?as_of=" + beforeColumn));
        Http.Response now = service().get(path());

        assertThat(then.status()).as(then.toString()).isEqualTo(200);
        assertThat(then.data().get(0).path("extra").isNull()).isTrue();
        assertThat(now.data().get(0).path("extra").asInt()).isEqualTo(5);
    }

    // --- batch -------------------------------------------------------------------------------------------

    @Test
    void given_rows_when_inserting_a_batch_then_201_with_inserted_and_the_rows() {
        long before = rowsInserted();

        Http.Response response = service().post(path("/batch"), Http.json("rows", List.of(
                Http.json("title", "a"), Http.json("title", "b"), Http.json("title", "c"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.data().path("inserted").asInt()).isEqualTo(3);
        assertThat(values(response.data().path("rows"), "title")).containsExactly("a", "b", "c");
        assertThat(physicalRows()).isEqualTo(3);
        assertThat(rowsInserted()).isEqualTo(before + 3);
    }

    @Test
    void given_500_rows_when_inserting_a_batch_then_all_are_inserted() {
        ArrayNode rows = Http.JSON.createArrayNode();
        for (int i = 0; i < 500; i++) {
            rows.add(Http.json("title", "row " + i, "likes", i));
        }

        Http.Response response = service().post(path("/batch"), Http.json("rows", rows));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.data().path("inserted").asInt()).isEqualTo(500);
        assertThat(physicalRows()).isEqualTo(500);
    }

    @Test
    void given_501_rows_when_inserting_a_batch_then_400_and_nothing_inserted() {
        long before = rowsInserted();
        ArrayNode rows = Http.JSON.createArrayNode();
        for (int i = 0; i < 501; i++) {
            rows.add(Http.json("title", "row " + i));
        }

        Http.Response response = service().post(path("/batch"), rows);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(details(response).has("rows")).isTrue();
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(before);
    }

    @Test
    void given_an_empty_batch_then_400() {
        Http.Response response = service().post(path("/batch"), Http.json("rows", List.of()));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
    }

    @Test
    void given_a_batch_with_one_row_of_the_wrong_type_when_inserting_then_400_naming_it_and_nothing_inserted_and_no_event() {
        long before = rowsInserted();
        String reusedId = UUID.randomUUID().toString();

        Http.Response response = service().post(path("/batch"), Http.json("rows", List.of(
                Http.json("id", reusedId, "title", "a"), Http.json("title", "b"),
                Http.json("title", "c", "likes", "many"), Http.json("title", "d"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(details(response).has("rows[2].likes")).as(response.toString()).isTrue();
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(before);
        assertThat(TenancySteps.eventCount(reusedId)).isZero();
        assertThat(service().post(path(), Http.json("id", reusedId, "title", "a")).status())
                .as("the id of a rolled-back row is free again").isEqualTo(201);
    }

    @Test
    void given_a_batch_whose_last_row_violates_a_unique_value_when_inserting_then_409_and_nothing_inserted_and_no_event() {
        aPost("title", "existing", "slug", "taken");
        long before = rowsInserted();

        Http.Response response = service().post(path("/batch"), Http.json("rows", List.of(
                Http.json("title", "a", "slug", "free-1"), Http.json("title", "b", "slug", "free-2"),
                Http.json("title", "c", "slug", "taken"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(physicalRows()).isEqualTo(1);
        assertThat(rowsInserted()).isEqualTo(before);
        assertThat(titles("slug=eq.free-1")).isEmpty();
    }

    @Test
    void given_a_batch_that_names_one_id_twice_when_inserting_then_409_and_nothing_inserted_and_no_event() {
        long before = rowsInserted();
        String id = UUID.randomUUID().toString();

        Http.Response response = service().post(path("/batch"), Http.json("rows", List.of(
                Http.json("id", id, "title", "a"), Http.json("title", "b"), Http.json("id", id, "title", "c"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.errorCode()).isEqualTo("CONFLICT");
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(before);
        assertThat(TenancySteps.eventCount(id)).isZero();
    }

    // --- transaction -------------------------------------------------------------------------------------

    @Test
    void given_a_transaction_that_inserts_a_row_and_changes_it_then_both_apply_in_order() {
        String id = UUID.randomUUID().toString();

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "values", Http.json("id", id, "title", "draft")),
                op("update", "id", id, "values", Http.json("title", "final"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(titles("order=title.asc")).containsExactly("final");
        assertThat(TenancySteps.eventCount(id, "RowInserted")).isEqualTo(1);
        assertThat(TenancySteps.eventCount(id, "RowUpdated")).isEqualTo(1);
    }

    @Test
    void given_mixed_operations_when_running_a_transaction_then_all_apply() {
        String toUpdate = aPostId("title", "old title");
        String toDelete = aPostId("title", "doomed");
        String toRestore = aPostId("title", "back");
        service().delete(path("/" + toRestore));
        String newId = UUID.randomUUID().toString();

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "values", Http.json("id", newId, "title", "new")),
                op("update", "id", toUpdate, "values", Http.json("title", "new title")),
                op("delete", "id", toDelete),
                op("restore", "id", toRestore)));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("applied").asInt()).isEqualTo(4);
        assertThat(values(response.data().path("results"), "id")).containsExactly(newId, toUpdate, toDelete, toRestore);
        assertThat(titles("order=title.asc")).containsExactly("back", "new", "new title");
        assertThat(TenancySteps.eventCount(toDelete, "RowDeleted")).isEqualTo(1);
        assertThat(TenancySteps.eventCount(toRestore, "RowRestored")).isEqualTo(1);
    }

    @Test
    void given_a_transaction_over_a_table_of_another_group_then_it_is_addressed_as_group_dot_table() {
        String groupName = TableFixtures.uniqueTableName("sales");
        String group = as(alice).post("/api/v1/groups", Http.json("project_id", project, "name", groupName))
                .data().path("id").asText();
        tables.aTable(alice, tableRequest(project, "orders", column("total", "INT")).put("group_id", group));

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "table", groupName + ".orders", "values", Http.json("total", 9)),
                op("insert", "values", Http.json("title", "order placed"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(values(service().get("/api/v1/data/" + project + "/" + groupName + ".orders").data(), "total"))
                .containsExactly("9");
        assertThat(titles("")).containsExactly("order placed");
    }

    @Test
    void given_a_transaction_whose_last_operation_fails_then_nothing_applies_and_no_event_is_recorded() {
        String existing = aPostId("title", "unchanged");
        long inserted = rowsInserted();
        long events = PhysicalSchema.allEvents();
        String newId = UUID.randomUUID().toString();

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "values", Http.json("id", newId, "title", "new")),
                op("update", "id", existing, "values", Http.json("title", "changed")),
                op("delete", "id", existing),
                op("update", "id", UUID.randomUUID().toString(), "values", Http.json("title", "nobody"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(404);
        assertThat(titles("")).containsExactly("unchanged");
        assertThat(physicalRows()).isEqualTo(1);
        assertThat(rowsInserted()).isEqualTo(inserted);
        assertThat(PhysicalSchema.allEvents()).isEqualTo(events);
        assertThat(TenancySteps.eventCount(existing)).isEqualTo(1);
        assertThat(service().get(path("/" + newId)).status()).isEqualTo(404);
        assertThat(service().post(path(), Http.json("id", newId, "title", "new")).status())
                .as("the id of a rolled-back row is free again").isEqualTo(201);
        assertThat(service().patch(path("/" + existing), Http.json("title", "changed")).status())
                .as("the row rolled back is still live and at its first version").isEqualTo(200);
    }

    @Test
    void given_a_transaction_with_a_value_of_the_wrong_type_then_400_naming_the_operation_and_nothing_applies() {
        long inserted = rowsInserted();

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "values", Http.json("title", "a")),
                op("insert", "values", Http.json("title", "b", "likes", "many"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(details(response).has("operations[1].values.likes")).as(response.toString()).isTrue();
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(inserted);
    }

    @Test
    void given_a_transaction_with_a_unique_violation_then_409_and_nothing_applies() {
        long inserted = rowsInserted();

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "values", Http.json("title", "a", "slug", "same")),
                op("insert", "values", Http.json("title", "b", "slug", "same"))));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(physicalRows()).isZero();
        assertThat(rowsInserted()).isEqualTo(inserted);
    }

    @Test
    void given_101_operations_when_running_a_transaction_then_400_and_nothing_applies() {
        List<ObjectNode> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(op("insert", "values", Http.json("title", "row " + i)));
        }

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction",
                operations(many.toArray(ObjectNode[]::new)));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(details(response).has("operations")).isTrue();
        assertThat(physicalRows()).isZero();
    }

    @Test
    void given_100_operations_when_running_a_transaction_then_all_apply() {
        List<ObjectNode> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(op("insert", "values", Http.json("title", "row " + i)));
        }

        Http.Response response = service().post("/api/v1/data/" + project + "/transaction",
                operations(many.toArray(ObjectNode[]::new)));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(physicalRows()).isEqualTo(100);
    }

    @Test
    void given_an_unknown_operation_or_table_when_running_a_transaction_then_refused_and_nothing_applies() {
        Http.Response unknownOp = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "values", Http.json("title", "a")), op("upsert", "values", Http.json("title", "b"))));
        Http.Response unknownTable = service().post("/api/v1/data/" + project + "/transaction", operations(
                op("insert", "values", Http.json("title", "a")), op("insert", "table", "nope",
                        "values", Http.json("title", "b"))));

        assertThat(unknownOp.status()).as(unknownOp.toString()).isEqualTo(400);
        assertThat(details(unknownOp).has("operations[1].op")).isTrue();
        assertThat(unknownTable.status()).as(unknownTable.toString()).isEqualTo(404);
        assertThat(physicalRows()).isZero();
    }

    // --- count and aggregate -----------------------------------------------------------------------------

    @Test
    void given_rows_when_counting_with_filters_then_the_number_of_matching_rows() {
        fourPosts();

        Http.Response all = service().get(path("/count"));
        Http.Response live = service().get(path("/count?status=eq.live"));
        Http.Response bad = service().get(path("/count?nope=eq.1"));

        assertThat(all.data().path("count").asLong()).isEqualTo(4);
        assertThat(live.data().path("count").asLong()).isEqualTo(2);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("INVALID_FILTER");
    }

    @Test
    void given_rows_when_aggregating_then_count_sum_avg_min_max() {
        fourPosts();

        assertThat(aggregate("fn=count").get(0).path("value").asLong()).isEqualTo(4);
        assertThat(aggregate("fn=count&column=body").get(0).path("value").asLong()).isEqualTo(2);
        assertThat(aggregate("fn=sum&column=likes").get(0).path("value").asLong()).isEqualTo(10);
        assertThat(aggregate("fn=avg&column=likes").get(0).path("value").decimalValue())
                .isEqualByComparingTo("2.5");
        assertThat(aggregate("fn=sum&column=score").get(0).path("value").decimalValue())
                .isEqualByComparingTo("13.75");
        assertThat(aggregate("fn=min&column=likes").get(0).path("value").asInt()).isEqualTo(1);
        assertThat(aggregate("fn=max&column=due").get(0).path("value").asText()).isEqualTo("2026-03-10");
        assertThat(aggregate("fn=max&column=title").get(0).path("value").asText()).isEqualTo("gamma");
        assertThat(aggregate("fn=sum&column=likes&status=eq.live").get(0).path("value").asLong()).isEqualTo(5);
    }

    @Test
    void given_rows_when_aggregating_with_group_by_then_one_value_per_group() {
        fourPosts();

        JsonNode groups = aggregate("fn=sum&column=likes&group_by=status");

        assertThat(values(groups, "status")).containsExactly("draft", "live");
        assertThat(values(groups, "value")).containsExactly("5", "5");
        JsonNode counts = aggregate("fn=count&group_by=published");
        assertThat(counts).hasSize(3);
    }

    @Test
    void given_an_aggregate_the_table_cannot_answer_then_400_INVALID_FILTER() {
        fourPosts();

        for (String query : List.of("fn=median&column=likes", "fn=sum&column=title", "fn=sum&column=nope",
                "fn=sum", "fn=count&group_by=nope", "fn=max&column=meta", "", "fn=avg&column=likes&nope=eq.1")) {
            Http.Response response = service().get(path("/aggregate?" + query));
            assertThat(response.status()).as(query + " → " + response).isEqualTo(400);
            assertThat(response.errorCode()).as(query).isEqualTo("INVALID_FILTER");
        }
    }

    private JsonNode aggregate(String query) {
        Http.Response response = service().get(path("/aggregate?" + query));
        assertThat(response.status()).as(query + " → " + response).isEqualTo(200);
        return response.data();
    }

    // --- get, patch, delete, restore ---------------------------------------------------------------------

    @Test
    void given_a_row_when_reading_it_then_200_with_its_values() {
        String id = aPostId("title", "hello", "likes", 3);

        Http.Response response = service().get(path("/" + id));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("id").asText()).isEqualTo(id);
        assertThat(response.data().path("title").asText()).isEqualTo("hello");
        assertThat(response.data().path("likes").asInt()).isEqualTo(3);
    }

    @Test
    void given_no_such_row_when_reading_then_404() {
        assertThat(service().get(path("/" + UUID.randomUUID())).status()).isEqualTo(404);
        assertThat(service().get(path("/not-a-uuid")).status()).isEqualTo(404);
        assertThat(service().get("/api/v1/data/" + project + "/nope/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void given_a_row_when_patching_some_columns_then_only_those_change_and_updated_at_moves() {
        JsonNode row = aPost("title", "hello", "likes", 3, "status", "draft");
        String id = row.path("id").asText();
        TenancySteps.instantBetweenEvents();

        Http.Response response = service().patch(path("/" + id), Http.json("likes", 4));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.data().path("likes").asInt()).isEqualTo(4);
        assertThat(response.data().path("title").asText()).isEqualTo("hello");
        assertThat(response.data().path("status").asText()).isEqualTo("draft");
        assertThat(response.data().path("created_at").asText()).isEqualTo(row.path("created_at").asText());
        assertThat(Instant.parse(response.data().path("updated_at").asText()))
                .isAfter(Instant.parse(row.path("updated_at").asText()));
        assertThat(TenancySteps.eventCount(id, "RowUpdated")).isEqualTo(1);
    }

    @Test
    void given_a_row_when_patching_with_bad_values_then_400_and_it_is_unchanged() {
        String id = aPostId("title", "hello", "likes", 3);
        ObjectNode nullTitle = Http.JSON.createObjectNode().putNull("title");

        List<Http.Response> responses = List.of(
                service().patch(path("/" + id), Http.json("likes", "many")),
                service().patch(path("/" + id), Http.json("colour", "red")),
                service().patch(path("/" + id), Http.json("id", UUID.randomUUID().toString())),
                service().patch(path("/" + id), Http.JSON.createObjectNode()),
                service().patch(path("/" + id), nullTitle));

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.toString()).isEqualTo(400));
        assertThat(service().get(path("/" + id)).data().path("likes").asInt()).isEqualTo(3);
        assertThat(TenancySteps.eventCount(id)).isEqualTo(1);
    }

    @Test
    void given_a_unique_value_taken_when_patching_then_409_and_no_event() {
        aPost("title", "a", "slug", "taken");
        String id = aPostId("title", "b", "slug", "free");

        Http.Response response = service().patch(path("/" + id), Http.json("slug", "taken"));

        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(TenancySteps.eventCount(id)).isEqualTo(1);
    }

    @Test
    void given_no_such_row_when_patching_or_deleting_then_404() {
        String unknown = UUID.randomUUID().toString();

        assertThat(service().patch(path("/" + unknown), Http.json("likes", 1)).status()).isEqualTo(404);
        assertThat(service().delete(path("/" + unknown)).status()).isEqualTo(404);
        assertThat(service().post(path("/" + unknown + "/restore"), Http.json()).status()).isEqualTo(404);
    }

    @Test
    void given_a_row_of_another_table_when_addressed_through_this_table_then_404_and_unchanged() {
        tables.aTable(alice, tableRequest(project, "notes", column("title", "TEXT")));
        String note = TableFixtures.insert(service(), project, "notes", Http.json("title", "note")).path("id").asText();

        assertThat(service().get(path("/" + note)).status()).isEqualTo(404);
        assertThat(service().patch(path("/" + note), Http.json("title", "hijacked")).status()).isEqualTo(404);
        assertThat(service().delete(path("/" + note)).status()).isEqualTo(404);
        assertThat(service().get("/api/v1/data/" + project + "/notes/" + note).data().path("title").asText())
                .isEqualTo("note");
        assertThat(TenancySteps.eventCount(note)).isEqualTo(1);
    }

    @Test
    void given_a_row_when_soft_deleting_it_then_reads_say_404_but_include_deleted_shows_it() {
        String id = aPostId("title", "doomed");

        Http.Response deleted = service().delete(path("/" + id));

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(service().get(path("/" + id)).status()).isEqualTo(404);
        assertThat(titles("")).isEmpty();
        Http.Response withDeleted = service().get(path("/" + id + "?include_deleted=true"));
        assertThat(withDeleted.status()).as(withDeleted.toString()).isEqualTo(200);
        assertThat(withDeleted.data().path("title").asText()).isEqualTo("doomed");
        assertThat(physicalRows()).as("a soft delete keeps the physical row").isEqualTo(1);
        assertThat(service().delete(path("/" + id)).status()).isEqualTo(404);
        assertThat(service().patch(path("/" + id), Http.json("title", "x")).status()).isEqualTo(404);
    }

    @Test
    void given_a_deleted_row_when_restoring_it_then_it_is_back_and_restoring_a_live_row_is_409() {
        String id = aPostId("title", "back again");
        service().delete(path("/" + id));

        Http.Response restored = service().post(path("/" + id + "/restore"), Http.json());

        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.data().path("title").asText()).isEqualTo("back again");
        assertThat(service().get(path("/" + id)).status()).isEqualTo(200);
        Http.Response again = service().post(path("/" + id + "/restore"), Http.json());
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(TenancySteps.eventCount(id, "RowRestored")).isEqualTo(1);
    }

    @Test
    void given_a_deleted_rows_unique_value_taken_since_when_restoring_it_then_409_and_it_stays_deleted() {
        String first = aPostId("title", "first", "slug", "contested");
        service().delete(path("/" + first));
        aPost("title", "second", "slug", "contested");

        Http.Response restored = service().post(path("/" + first + "/restore"), Http.json());

        assertThat(restored.status()).as(restored.toString()).isEqualTo(409);
        assertThat(service().get(path("/" + first)).status()).isEqualTo(404);
        assertThat(TenancySteps.eventCount(first, "RowRestored")).isZero();
        assertThat(titles("slug=eq.contested")).containsExactly("second");
    }

    @Test
    void given_anon_when_restoring_a_row_then_403() {
        String id = aPostId("title", "x");
        service().delete(path("/" + id));

        Http.Response response = http.post(path("/" + id + "/restore"), Http.json());

        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(TenancySteps.eventCount(id, "RowRestored")).isZero();
    }

    // --- as_of and history of one row --------------------------------------------------------------------

    @Test
    void given_a_row_inserted_updated_twice_and_deleted_when_reading_as_of_each_instant_then_its_values_then() {
        Instant beforeInsert = TenancySteps.instantBetweenEvents();
        String id = aPostId("title", "v1", "likes", 1);
        Instant afterInsert = TenancySteps.instantBetweenEvents();
        assertThat(service().patch(path("/" + id), Http.json("title", "v2")).status()).isEqualTo(200);
        Instant afterFirstUpdate = TenancySteps.instantBetweenEvents();
        assertThat(service().patch(path("/" + id), Http.json("likes", 3)).status()).isEqualTo(200);
        Instant afterSecondUpdate = TenancySteps.instantBetweenEvents();
        assertThat(service().delete(path("/" + id)).status()).isEqualTo(200);
        Instant afterDelete = TenancySteps.instantBetweenEvents();

        assertThat(service().get(path("/" + id + "?as_of=" + beforeInsert)).status()).isEqualTo(404);
        JsonNode v1 = service().get(path("/" + id + "?as_of=" + afterInsert)).data();
        JsonNode v2 = service().get(path("/" + id + "?as_of=" + afterFirstUpdate)).data();
        Http.Response v3 = service().get(path("/" + id + "?as_of=" + afterSecondUpdate));
        assertThat(v1.path("title").asText()).isEqualTo("v1");
        assertThat(v1.path("likes").asInt()).isEqualTo(1);
        assertThat(v2.path("title").asText()).isEqualTo("v2");
        assertThat(v2.path("likes").asInt()).isEqualTo(1);
        assertThat(v3.data().path("title").asText()).isEqualTo("v2");
        assertThat(v3.data().path("likes").asInt()).isEqualTo(3);
        assertThat(v3.body().path("meta").path("as_of").asText()).isNotBlank();
        assertThat(service().get(path("/" + id + "?as_of=" + afterDelete)).status()).isEqualTo(404);
        Http.Response deletedThen = service().get(path("/" + id + "?as_of=" + afterDelete + "&include_deleted=true"));
        assertThat(deletedThen.status()).as(deletedThen.toString()).isEqualTo(200);
        assertThat(deletedThen.data().path("likes").asInt()).isEqualTo(3);
    }

    @Test
    void given_a_row_when_reading_as_of_its_own_timestamps_then_the_version_written_at_that_instant() {
        JsonNode inserted = aPost("title", "v1");
        String id = inserted.path("id").asText();
        JsonNode updated = service().patch(path("/" + id), Http.json("title", "v2")).data();

        assertThat(service().get(path("/" + id + "?as_of=" + inserted.path("created_at").asText())).data()
                .path("title").asText()).isEqualTo("v1");
        assertThat(service().get(path("/" + id + "?as_of=" + updated.path("updated_at").asText())).data()
                .path("title").asText()).isEqualTo("v2");
    }

    @Test
    void given_a_row_with_a_life_when_reading_its_history_then_every_version_with_values_operation_event_actor_and_validity() {
        String id = as(alice).post(path(), Http.json("title", "v1", "likes", 1)).data().path("id").asText();
        as(alice).patch(path("/" + id), Http.json("title", "v2"));
        as(alice).delete(path("/" + id));
        as(alice).post(path("/" + id + "/restore"), Http.json());

        Http.Response history = as(alice).get(path("/" + id + "/history"));

        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        JsonNode versions = history.data();
        assertThat(values(versions, "operation")).containsExactly("insert", "update", "delete", "restore");
        assertThat(versions.get(0).path("values").path("title").asText()).isEqualTo("v1");
        assertThat(versions.get(1).path("values").path("title").asText()).isEqualTo("v2");
        assertThat(versions.get(1).path("values").path("likes").asInt()).isEqualTo(1);
        for (int i = 0; i < versions.size(); i++) {
            JsonNode version = versions.get(i);
            assertThat(version.path("actor").path("id").asText()).isEqualTo(alice.userId());
            assertThat(PhysicalSchema.count("select count(*) from domainevententry where eventidentifier = ? "
                    + "and aggregateidentifier = ?", version.path("event_id").asText(), id)).isEqualTo(1);
            Instant from = Instant.parse(version.path("valid_from").asText());
            if (i + 1 < versions.size()) {
                assertThat(version.path("valid_to").asText()).isEqualTo(versions.get(i + 1).path("valid_from").asText());
                assertThat(Instant.parse(version.path("valid_to").asText())).isAfterOrEqualTo(from);
            } else {
                assertThat(version.path("valid_to").isNull()).isTrue();
            }
        }
    }

    @Test
    void given_no_such_row_when_reading_its_history_then_404_and_anon_is_refused() {
        String id = aPostId("title", "x");

        assertThat(service().get(path("/" + UUID.randomUUID() + "/history")).status()).isEqualTo(404);
        assertThat(http.get(path("/" + id + "/history")).status()).isEqualTo(403);
    }

    // --- passwords ---------------------------------------------------------------------------------------

    @Test
    void given_a_password_column_then_its_value_is_never_returned_nor_recorded_in_any_event() {
        tables.aTable(alice, tableRequest(project, "members", TableFixtures.unique("email", "TEXT"),
                column("password", "PASSWORD")));
        String plain = "Pa55-" + UUID.randomUUID();
        String changed = "Ch4nged-" + UUID.randomUUID();
        String members = "/api/v1/data/" + project + "/members";

        Http.Response inserted = service().post(members, Http.json("email", "ann@example.com", "password", plain));
        String id = inserted.data().path("id").asText();
        Http.Response patched = service().patch(members + "/" + id, Http.json("password", changed));
        Http.Response batch = service().post(members + "/batch", List.of(Http.json("email", "bob@example.com",
                "password", plain)));

        assertThat(inserted.status()).as(inserted.toString()).isEqualTo(201);
        assertThat(inserted.data().has("password")).isTrue();
        assertThat(inserted.data().path("password").isNull()).isTrue();
        assertThat(patched.data().path("password").isNull()).isTrue();
        assertThat(batch.data().path("rows").get(0).path("password").isNull()).isTrue();
        assertThat(service().get(members + "/" + id).data().path("password").isNull()).isTrue();
        assertThat(service().get(members).data()).allSatisfy(row -> assertThat(row.path("password").isNull()).isTrue());
        assertThat(service().get(members + "/" + id + "/history").data())
                .allSatisfy(version -> assertThat(version.path("values").path("password").isNull()).isTrue());
        for (String text : List.of(inserted.text(), patched.text(), batch.text())) {
            assertThat(text).doesNotContain(plain).doesNotContain(changed);
        }
        assertThat(PhysicalSchema.eventsContaining(plain)).isZero();
        assertThat(PhysicalSchema.eventsContaining(changed)).isZero();
        String schema = PhysicalSchema.schemaOf(posts.path("group_id").asText());
        assertThat(PhysicalSchema.count("select count(*) from \"" + schema + "\".members where password in (?, ?)",
                plain, changed)).isZero();
        assertThat(PhysicalSchema.count("select count(*) from \"" + schema + "\".members where password is not null"))
                .isEqualTo(2);
    }

    @Test
    void given_a_password_column_when_filtering_or_sorting_by_it_then_400() {
        tables.aTable(alice, tableRequest(project, "members", column("email", "TEXT"), column("password", "PASSWORD")));

        Http.Response filter = service().get("/api/v1/data/" + project + "/members?password=eq.x");
        Http.Response sort = service().get("/api/v1/data/" + project + "/members?order=password.asc");

        assertThat(filter.status()).as(filter.toString()).isEqualTo(400);
        assertThat(sort.status()).as(sort.toString()).isEqualTo(400);
    }

    // --- data login --------------------------------------------------------------------------------------

    @Test
    void given_a_user_table_when_a_row_logs_in_with_its_password_then_a_token_for_that_row_and_the_row() throws Exception {
        String members = aUserTable();
        String id = TableFixtures.insert(service(), project, members, Http.json("email", "ann@example.com",
                "password", "open sesame")).path("id").asText();

        Http.Response login = http.post("/api/v1/data/" + project + "/" + members + "/login",
                Http.json("email", "ann@example.com", "password", "open sesame"));

        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        String token = login.data().path("token").asText();
        assertThat(token).isNotBlank();
        assertThat(login.data().path("row").path("id").asText()).isEqualTo(id);
        assertThat(login.data().path("row").path("password").isNull()).isTrue();
        assertThat(login.text()).doesNotContain("open sesame");
        JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("sub").asText()).isEqualTo(id);
        Http.Response asUser = http.bearer(token).get("/api/v1/data/" + project + "/" + members);
        assertThat(asUser.status()).as("the token is accepted by the data API: " + asUser).isEqualTo(200);
    }

    @Test
    void given_a_wrong_password_or_unknown_identifier_when_logging_in_then_401_INVALID_CREDENTIALS_alike() {
        String members = aUserTable();
        TableFixtures.insert(service(), project, members, Http.json("email", "ann@example.com", "password", "open sesame"));

        Http.Response wrong = http.post("/api/v1/data/" + project + "/" + members + "/login",
                Http.json("email", "ann@example.com", "password", "guess"));
        Http.Response unknown = http.post("/api/v1/data/" + project + "/" + members + "/login",
                Http.json("email", "bob@example.com", "password", "open sesame"));

        assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(401);
        assertThat(unknown.errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(unknown.body().path("error").path("message").asText())
                .isEqualTo(wrong.body().path("error").path("message").asText());
        assertThat(wrong.data().isNull() || wrong.data().isMissingNode()).isTrue();
    }

    @Test
    void given_a_deleted_user_row_when_logging_in_then_401() {
        String members = aUserTable();
        String id = TableFixtures.insert(service(), project, members, Http.json("email", "ann@example.com",
                "password", "open sesame")).path("id").asText();
        service().delete("/api/v1/data/" + project + "/" + members + "/" + id);

        Http.Response login = http.post("/api/v1/data/" + project + "/" + members + "/login",
                Http.json("email", "ann@example.com", "password", "open sesame"));

        assertThat(login.status()).as(login.toString()).isEqualTo(401);
    }

    @Test
    void given_a_table_without_a_password_column_when_logging_in_then_400() {
        Http.Response login = http.post(path("/login"), Http.json("title", "x", "password", "y"));

        assertThat(login.status()).as(login.toString()).isEqualTo(400);
    }

    private String aUserTable() {
        tables.aTable(alice, tableRequest(project, "members", TableFixtures.unique("email", "TEXT"),
                column("password", "PASSWORD")));
        return "members";
    }

    // --- who may do what -------------------------------------------------------------------------------

    @Test
    void given_members_when_using_the_data_api_then_readers_read_writers_write() {
        Account viewer = accounts.anAccount();
        Account developer = accounts.anAccount();
        tenancy.addMember(alice, org, viewer, "viewer");
        tenancy.addMember(alice, org, developer, "developer");
        aPost("title", "existing");

        Http.Response viewerReads = as(viewer).get(path());
        Http.Response viewerWrites = as(viewer).post(path(), Http.json("title", "by viewer"));
        Http.Response developerWrites = as(developer).post(path(), Http.json("title", "by developer"));

        assertThat(viewerReads.status()).as(viewerReads.toString()).isEqualTo(200);
        assertThat(values(viewerReads.data(), "title")).containsExactly("existing");
        assertThat(viewerWrites.status()).as(viewerWrites.toString()).isEqualTo(403);
        assertThat(developerWrites.status()).as(developerWrites.toString()).isEqualTo(201);
        assertThat(titles("order=title.asc")).containsExactly("by developer", "existing");
    }

    @Test
    void given_a_stranger_or_another_projects_key_when_using_this_projects_data_then_404_and_nothing_changes() {
        Account stranger = accounts.anAccount();
        String strangerOrg = tenancy.organization(stranger).path("id").asText();
        String otherKey = tenancy.project(stranger, strangerOrg, "Theirs").path("service_key").asText();
        String id = aPostId("title", "mine");
        Http otherService = tables.serviceKey(otherKey);

        List<Http.Response> responses = List.of(
                as(stranger).get(path()),
                as(stranger).post(path(), Http.json("title", "x")),
                as(stranger).patch(path("/" + id), Http.json("title", "x")),
                otherService.get(path()),
                otherService.get(path("/" + id)),
                otherService.post(path(), Http.json("title", "x")),
                otherService.delete(path("/" + id)));

        assertThat(responses).allSatisfy(response -> assertThat(response.status()).as(response.toString()).isEqualTo(404));
        assertThat(titles("")).containsExactly("mine");
        assertThat(TenancySteps.eventCount(id)).isEqualTo(1);
    }

    @Test
    void given_anon_and_a_new_table_when_reading_and_writing_then_no_rows_are_visible_and_writes_are_refused() {
        aPost("title", "secret");
        long inserted = rowsInserted();

        Http.Response read = http.get(path());
        Http.Response write = http.post(path(), Http.json("title", "by anon"));

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.data()).isEmpty();
        assertThat(write.status()).as(write.toString()).isEqualTo(403);
        assertThat(physicalRows()).isEqualTo(1);
        assertThat(rowsInserted()).isEqualTo(inserted);
    }

    @Test
    void given_an_unknown_project_or_table_then_404() {
        assertThat(service().get("/api/v1/data/prj_00000000000000000000000000000000/" + TABLE).status()).isEqualTo(404);
        assertThat(service().get("/api/v1/data/" + project + "/nope").status()).isEqualTo(404);
        assertThat(service().post("/api/v1/data/" + project + "/nope", Http.json("a", 1)).status()).isEqualTo(404);
    }

    // --- rate limit --------------------------------------------------------------------------------------
    // The application clock stands still in these tests (TestClock), so bucket refills happen only when
    // a test moves the clock, and every count and reset is exact.

    @Test
    void given_a_frozen_clock_when_a_caller_makes_data_requests_then_the_headers_count_down_exactly() {
        Instant now = clock.freeze();

        Http.Response first = service().get(path());
        Http.Response second = service().get(path("/count"));
        Http.Response refused = service().post(path(), Http.json("title", 42));

        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertRateLimit(first, 599, now.getEpochSecond() + 1);
        assertRateLimit(second, 598, now.getEpochSecond() + 1);
        assertThat(refused.header("X-RateLimit-Remaining")).as("refused requests count too").isEqualTo("597");
        assertThat(first.header("Retry-After")).isNull();

        clock.advance(Duration.ofMinutes(1));
        Http.Response refilled = service().get(path());
        assertRateLimit(refilled, 599, now.getEpochSecond() + 61);
    }

    @Test
    void given_an_anonymous_flood_then_429_for_anonymous_callers_only_and_the_service_key_and_users_keep_theirs() {
        Instant now = clock.freeze();
        String pat = new Tenancy(http).aPat(alice, List.of("read"), null, null).token();

        Http.Response last = null;
        for (int i = 0; i < 600; i++) {
            last = http.get(path());
            assertThat(last.status()).as("request " + i + ": " + last).isNotEqualTo(429);
        }
        Http.Response limited = http.get(path());

        assertRateLimit(last, 0, now.getEpochSecond() + 60);
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(limited.header("Retry-After")).as("one token refills in 100 ms, rounded up").isEqualTo("1");
        assertRateLimit(limited, 0, now.getEpochSecond() + 60);

        Http.Response asService = service().get(path());
        Http.Response asAlice = as(alice).get(path());
        Http.Response asAlicesPat = http.bearer(pat).get(path());
        assertThat(asService.status()).as(asService.toString()).isEqualTo(200);
        assertRateLimit(asService, 599, now.getEpochSecond() + 1);
        assertThat(asAlice.status()).as(asAlice.toString()).isEqualTo(200);
        assertRateLimit(asAlice, 599, now.getEpochSecond() + 1);
        assertThat(asAlicesPat.status()).as(asAlicesPat.toString()).isEqualTo(200);
        assertThat(asAlicesPat.header("X-RateLimit-Remaining")).as("a PAT draws from its user's bucket")
                .isEqualTo("598");

        clock.advance(Duration.ofSeconds(1));
        Http.Response afterASecond = http.get(path());
        assertThat(afterASecond.status()).as(afterASecond.toString()).isNotEqualTo(429);
        assertThat(afterASecond.header("X-RateLimit-Remaining")).as("ten tokens back after a second").isEqualTo("9");
    }

    @Test
    void given_requests_to_two_projects_then_each_has_its_own_bucket() {
        clock.freeze();
        String other = tenancy.project(alice, org, "Other").path("id").asText();
        as(alice).get(path());

        Http.Response here = as(alice).get(path());
        Http.Response there = as(alice).get("/api/v1/data/" + other + "/" + TABLE);

        assertThat(here.header("X-RateLimit-Remaining")).isEqualTo("598");
        assertThat(there.header("X-RateLimit-Remaining")).isEqualTo("599");
    }

    private static void assertRateLimit(Http.Response response, long remaining, long reset) {
        assertThat(response.header("X-RateLimit-Limit")).as(response.toString()).isEqualTo("600");
        assertThat(response.header("X-RateLimit-Remaining")).as(response.toString()).isEqualTo(Long.toString(remaining));
        assertThat(response.header("X-RateLimit-Reset")).as(response.toString()).isEqualTo(Long.toString(reset));
    }
}
