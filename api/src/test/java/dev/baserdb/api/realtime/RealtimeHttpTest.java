package dev.baserdb.api.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.SseClient;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Realtime change streams over real HTTP: live delivery in commit order with the global position
 * as id, the event filter, resume with Last-Event-ID and since (nothing missed, nothing doubled),
 * row-level security decided by PostgreSQL per caller, heartbeats (every 500 ms in tests), the
 * per-project stream limit, and bad input answered with the error envelope.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeHttpTest {

    private static final Duration LIVE = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    private Http http;
    private Accounts.Account owner;
    private Tenancy tenancy;
    private TableFixtures tables;

    @BeforeAll
    void setUp() {
        http = new Http(port);
        tenancy = new Tenancy(http);
        tables = new TableFixtures(http);
        owner = new Accounts(http).anAccount();
    }

    /** A fresh project (so the stream limit of one test does not touch another) with a table. */
    private Fixture aProjectWithATable() {
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        String table = tables.aTable(owner, project.id(), column("title", "TEXT"), column("rank", "INT"))
                .path("name").asText();
        return new Fixture(project.id(), table, http.with("X-API-Key", project.serviceKey()), project.serviceKey());
    }

    private record Fixture(String project, String table, Http serviceKey, String key) {

        String insert(String title, int rank) {
            return TableFixtures.insert(serviceKey, project, table, Http.json("title", title, "rank", rank))
                    .path("id").asText();
        }

        String stream() {
            return "/api/v1/realtime/" + project + "?tables=" + table;
        }
    }

    private SseClient ready(SseClient client) {
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.header("Content-Type")).startsWith("text/event-stream");
        await("ready").atMost(LIVE).until(() -> !client.events("ready").isEmpty());
        return client;
    }

    private static List<String> titles(List<SseClient.Event> events) {
        return events.stream().map(event -> event.data().path("data").path("title").asText()).toList();
    }

    private static List<Long> ids(List<SseClient.Event> events) {
        return events.stream().map(event -> Long.parseLong(event.id())).toList();
    }

    @Test
    void given_an_open_stream_when_rows_are_inserted_then_each_arrives_once_in_order_with_its_position_as_id() {
        Fixture f = aProjectWithATable();
        try (SseClient client = ready(SseClient.open(port, f.stream(), "X-API-Key", f.key()))) {
            String first = f.insert("one", 1);
            f.insert("two", 2);
            f.insert("three", 3);
            await("three changes").atMost(LIVE).until(() -> client.events("row.inserted").size() == 3);
            List<SseClient.Event> events = client.events("row.inserted");
            assertThat(titles(events)).containsExactly("one", "two", "three");
            assertThat(ids(events)).isSorted().doesNotHaveDuplicates();
            JsonNode change = events.get(0).data();
            assertThat(change.path("event").asText()).isEqualTo("row.inserted");
            assertThat(change.path("position").asLong()).isEqualTo(Long.parseLong(events.get(0).id()));
            assertThat(change.path("project_id").asText()).isEqualTo(f.project());
            assertThat(change.path("table").asText()).isEqualTo(f.table());
            assertThat(change.path("row_id").asText()).isEqualTo(first);
            assertThat(change.path("data").path("id").asText()).isEqualTo(first);
            assertThat(change.path("data").path("rank").asInt()).isEqualTo(1);
        }
    }

    @Test
    void given_a_stream_of_updates_only_then_inserts_are_not_sent_and_updates_are() {
        Fixture f = aProjectWithATable();
        try (SseClient client = ready(SseClient.open(port, f.stream() + "&events=row.updated", "X-API-Key", f.key()))) {
            String id = f.insert("draft", 1);
            ok(f.serviceKey().patch("/api/v1/data/" + f.project() + "/" + f.table() + "/" + id, Http.json("title", "final")));
            await("the update").atMost(LIVE).until(() -> !client.events("row.updated").isEmpty());
            assertThat(client.events("row.inserted")).isEmpty();
            assertThat(client.events("row.updated").get(0).data().path("data").path("title").asText()).isEqualTo("final");
        }
    }

    @Test
    void given_a_client_that_left_when_it_returns_with_Last_Event_ID_or_since_then_it_gets_exactly_what_it_missed() {
        Fixture f = aProjectWithATable();
        String last;
        try (SseClient client = ready(SseClient.open(port, f.stream(), "X-API-Key", f.key()))) {
            f.insert("seen-1", 1);
            f.insert("seen-2", 2);
            await("seen").atMost(LIVE).until(() -> client.events("row.inserted").size() == 2);
            last = client.events("row.inserted").get(1).id();
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            f.insert("missed-" + i, i);
            missed.add("missed-" + i);
        }
        try (SseClient back = ready(SseClient.open(port, f.stream(), "X-API-Key", f.key(), "Last-Event-ID", last));
             SseClient since = ready(SseClient.open(port, f.stream() + "&since=" + last, "X-API-Key", f.key()))) {
            await("replayed").atMost(LIVE).until(() -> back.events("row.inserted").size() == 5
                    && since.events("row.inserted").size() == 5);
            f.insert("live", 9);
            await("live after the replay").atMost(LIVE).until(() -> back.events("row.inserted").size() == 6);
            List<String> expected = new ArrayList<>(missed);
            expected.add("live");
            assertThat(titles(back.events("row.inserted"))).containsExactlyElementsOf(expected);
            assertThat(ids(back.events("row.inserted"))).isSorted().doesNotHaveDuplicates()
                    .allMatch(id -> id > Long.parseLong(last));
            await().atMost(LIVE).until(() -> since.events("row.inserted").size() == 6);
            assertThat(titles(since.events("row.inserted"))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void given_an_anon_select_policy_then_an_anonymous_stream_sees_only_the_rows_the_policy_allows() {
        Fixture f = aProjectWithATable();
        String tableId = ok(http.bearer(owner.accessToken()).get("/api/v1/tables?project_id=" + f.project()))
                .get(0).path("id").asText();
        ok(http.bearer(owner.accessToken()).put("/api/v1/tables/" + tableId + "/policies", List.of(Http.json(
                "api_role", "anon", "operation", "SELECT", "allowed", true, "constraint_sql", "rank > 1"))));
        try (SseClient anon = ready(SseClient.open(port, f.stream()));
             SseClient operator = ready(SseClient.open(port, f.stream(), "X-API-Key", f.key()))) {
            f.insert("hidden", 1);
            f.insert("shown", 5);
            f.insert("hidden-too", 0);
            f.insert("marker", 7);
            await("the operator sees all four").atMost(LIVE).until(() -> operator.events("row.inserted").size() == 4);
            await("anon sees the marker").atMost(LIVE)
                    .until(() -> titles(anon.events("row.inserted")).contains("marker"));
            // Events arrive in order, so after the marker nothing earlier can still come.
            assertThat(titles(anon.events("row.inserted"))).containsExactly("shown", "marker");
        }
    }

    @Test
    void given_an_idle_stream_then_heartbeats_arrive() {
        Fixture f = aProjectWithATable();
        try (SseClient client = ready(SseClient.open(port, f.stream(), "X-API-Key", f.key()))) {
            await("two heartbeats").atMost(LIVE).until(() -> client.comments().stream()
                    .filter(comment -> comment.contains("heartbeat")).count() >= 2);
        }
    }

    @Test
    void given_the_maximum_of_streams_open_when_one_more_opens_then_429_until_one_closes() throws Exception {
        Fixture f = aProjectWithATable();
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(ready(SseClient.open(port, f.stream(), "X-API-Key", f.key())));
            }
            SseClient refused = SseClient.open(port, f.stream(), "X-API-Key", f.key());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotBlank();
            JsonNode envelope = refused.envelope();
            assertThat(envelope.path("success").asBoolean()).isFalse();
            assertThat(envelope.path("error").path("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");

            Fixture other = aProjectWithATable();
            try (SseClient elsewhere = ready(SseClient.open(port, other.stream(), "X-API-Key", other.key()))) {
                assertThat(elsewhere.status()).as("the limit is per project").isEqualTo(200);
            }

            open.remove(0).close();
            await("a slot frees once the server notices").atMost(LIVE).until(() -> {
                SseClient again = SseClient.open(port, f.stream(), "X-API-Key", f.key());
                if (again.status() == 200) {
                    open.add(again);
                    return true;
                }
                again.close();
                return false;
            });
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void given_bad_input_then_the_error_envelope() throws Exception {
        Fixture f = aProjectWithATable();
        Fixture other = aProjectWithATable();
        String base = "/api/v1/realtime/" + f.project();
        assertThat(status(base + "?tables=nope", "X-API-Key", f.key())).isEqualTo(404);
        assertThat(status(base + "?events=row.exploded", "X-API-Key", f.key())).isEqualTo(400);
        assertThat(status(base + "?events=table.created", "X-API-Key", f.key())).isEqualTo(400);
        assertThat(status(base, "X-API-Key", f.key(), "Last-Event-ID", "abc")).isEqualTo(400);
        assertThat(status(base + "?since=-5", "X-API-Key", f.key())).isEqualTo(400);
        assertThat(status(base, "X-API-Key", other.key())).isEqualTo(404);
        assertThat(status(base, "X-API-Key", "bdb_sk_forged")).isEqualTo(401);
        assertThat(status(base, "Authorization", "Bearer forged.token.here")).isEqualTo(401);
        assertThat(status("/api/v1/realtime/prj_nope", "X-API-Key", f.key())).isEqualTo(404);
        SseClient refused = SseClient.open(port, base + "?tables=nope", "X-API-Key", f.key());
        assertThat(refused.envelope().path("error").path("code").asText()).isEqualTo("NOT_FOUND");
    }

    private int status(String path, String... headers) {
        try (SseClient client = SseClient.open(port, path, headers)) {
            return client.status();
        }
    }
}
