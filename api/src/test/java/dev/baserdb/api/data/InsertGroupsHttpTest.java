package dev.baserdb.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.PhysicalSchema;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Single-row inserts that arrive while another insert into their table is being written are written
 * together, as one transaction, each with its own caller's metadata; a group with a refused insert
 * leaves nothing of itself and every insert gets the answer it would have got alone. The first
 * insert is held in its write by a lock this test takes on the table in PostgreSQL, so that the
 * others queue behind it.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsertGroupsHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    InsertGroups groups;

    private final ExecutorService clients = Executors.newFixedThreadPool(8);
    private Http http;
    private Http operator;
    private Http service;
    private Tenancy.Project project;

    @BeforeAll
    void aProject() {
        http = new Http(port);
        Accounts.Account owner = new Accounts(http).anAccount();
        Tenancy tenancy = new Tenancy(http);
        project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        operator = http.bearer(owner.accessToken());
        service = http.with("X-API-Key", project.serviceKey());
    }

    @AfterAll
    void stopClients() {
        clients.shutdownNow();
    }

    /** A request one client sends: who sends it (anon or the service key), with which request id, and the row. */
    private record Insert(Http caller, boolean anon, String requestId, JsonNode row) {
    }

    private Insert insert(Http caller, Object... values) {
        String requestId = "group-" + UUID.randomUUID();
        return new Insert(caller.with("X-Request-ID", requestId), caller == http, requestId, Http.json(values));
    }

    /** A table anon may insert into when rank > 5 (and read), with a unique code; returns its id. */
    private String aTable(String name) {
        String table = ok(operator.post("/api/v1/tables", Http.json("project_id", project.id(), "name", name,
                "columns", List.of(Http.json("name", "title", "type", "TEXT", "nullable", false),
                        Http.json("name", "rank", "type", "INT"),
                        Http.json("name", "code", "type", "TEXT", "unique", true))))).path("id").asText();
        ok(operator.put("/api/v1/tables/" + table + "/policies", List.of(
                Http.json("api_role", "anon", "operation", "INSERT", "allowed", true, "constraint_sql", "rank > 5"),
                Http.json("api_role", "anon", "operation", "SELECT", "allowed", true))));
        return table;
    }

    @Test
    void given_an_insert_being_written_when_more_arrive_then_they_are_written_in_one_transaction_each_as_its_caller() {
        String name = unique("grouped");
        String table = aTable(name);
        ObjectNode serviceAlone = eventMetaData(ok(service.post("/api/v1/data/" + project.id() + "/" + name,
                Http.json("title", "alone", "rank", 1))).path("id").asText());
        ObjectNode anonAlone = eventMetaData(ok(http.post("/api/v1/data/" + project.id() + "/" + name,
                Http.json("title", "anon alone", "rank", 9))).path("id").asText());
        serviceAlone.remove("request_id");
        anonAlone.remove("request_id");
        Insert first = insert(service, "title", "first", "rank", 1);
        List<Insert> queued = List.of(
                insert(service, "title", "service one", "rank", 2),
                insert(http, "title", "anon one", "rank", 6),
                insert(service, "title", "service two", "rank", 3),
                insert(http, "title", "anon two", "rank", 7));

        Map<Insert, Http.Response> answers = whileTheFirstIsHeld(name, table, first, queued);

        Map<String, Insert> byRowId = new LinkedHashMap<>();
        answers.forEach((insert, response) -> {
            JsonNode row = ok(insert.row().path("title").asText(), response);
            assertThat(row.path("title").asText()).isEqualTo(insert.row().path("title").asText());
            assertThat(row.path("rank").asInt()).isEqualTo(insert.row().path("rank").asInt());
            assertThat(response.body().path("meta").path("request_id").asText()).isEqualTo(insert.requestId());
            byRowId.put(row.path("id").asText(), insert);
        });
        List<String> queuedIds = new ArrayList<>();
        byRowId.forEach((id, insert) -> {
            if (insert != first) {
                queuedIds.add(id);
            }
        });
        String firstId = byRowId.entrySet().stream().filter(e -> e.getValue() == first).findFirst().orElseThrow().getKey();

        // the four that waited share one transaction, not the first's
        List<String> transactions = queuedIds.stream().map(id -> transactionOf(name, id)).distinct().toList();
        assertThat(transactions).as("transactions of the inserts that waited").hasSize(1);
        assertThat(transactionOf(name, firstId)).isNotEqualTo(transactions.get(0));

        // each event is its own request's: its request id, and otherwise what its caller's insert written alone has
        byRowId.forEach((id, insert) -> {
            ObjectNode meta = eventMetaData(id);
            assertThat(meta.remove("request_id").asText()).as(id).isEqualTo(insert.requestId());
            assertThat(meta).as(id).isEqualTo(insert.anon() ? anonAlone : serviceAlone);
        });
        assertThat(insertEvents(table)).isEqualTo(7);
        assertThat(versionsInOrder(name, table)).as("history versions in the order of the events")
                .isEqualTo(eventsInOrder(table));
    }

    @Test
    void given_a_group_with_refused_inserts_when_it_is_written_then_each_insert_gets_its_own_answer_and_only_good_rows_exist() {
        String name = unique("refusals");
        String table = aTable(name);
        JsonNode taken = ok(service.post("/api/v1/data/" + project.id() + "/" + name,
                Http.json("title", "taken", "rank", 1, "code", "taken")));
        Insert first = insert(service, "title", "first", "rank", 1);
        Insert refusedByPolicy = insert(http, "title", "anon refused", "rank", 1);
        Insert sameId = insert(service, "id", taken.path("id").asText(), "title", "same id");
        Insert sameCode = insert(service, "title", "same code", "code", "taken");
        Insert good = insert(service, "title", "good", "rank", 2);
        Insert goodAnon = insert(http, "title", "good anon", "rank", 8);

        Map<Insert, Http.Response> answers = whileTheFirstIsHeld(name, table, first,
                List.of(refusedByPolicy, sameId, sameCode, good, goodAnon));

        assertThat(answers.get(first).status()).as(answers.get(first).toString()).isEqualTo(201);
        assertThat(answers.get(refusedByPolicy).status()).as(answers.get(refusedByPolicy).toString()).isEqualTo(403);
        assertThat(answers.get(refusedByPolicy).errorCode()).isEqualTo("FORBIDDEN");
        assertThat(answers.get(sameId).status()).as(answers.get(sameId).toString()).isEqualTo(409);
        assertThat(answers.get(sameCode).status()).as(answers.get(sameCode).toString()).isEqualTo(409);
        String goodId = ok(answers.get(good)).path("id").asText();
        String goodAnonId = ok(answers.get(goodAnon)).path("id").asText();

        assertThat(AuditTrail.strings("SELECT title FROM " + physical(name) + " ORDER BY title"))
                .containsExactly("first", "good", "good anon", "taken");
        // written alone after the group was refused: a transaction each
        assertThat(transactionOf(name, goodId)).isNotEqualTo(transactionOf(name, goodAnonId));
        // one event per row written, none for a refused insert
        assertThat(insertEvents(table)).isEqualTo(4);
        assertThat(versionsInOrder(name, table)).as("history versions in the order of the events, as a replay writes them")
                .isEqualTo(eventsInOrder(table));
        assertThat(eventMetaData(goodAnonId).path("request_id").asText()).isEqualTo(goodAnon.requestId());
    }

    /**
     * Sends {@code first} and holds it in its write (a SHARE lock on the table, which its row insert
     * waits for), sends the others, waits until they all queue behind it, releases the lock; returns
     * every answer.
     */
    private Map<Insert, Http.Response> whileTheFirstIsHeld(String name, String tableId, Insert first, List<Insert> queued) {
        Map<Insert, Future<Http.Response>> sent = new LinkedHashMap<>();
        try (Connection lock = TestDatabase.connect()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE " + physical(name) + " IN SHARE MODE");
            }
            sent.put(first, send(first, name));
            await("the first insert waits for the table's lock").atMost(Duration.ofSeconds(30))
                    .until(() -> AuditTrail.count("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = ?::regclass",
                            physical(name)) == 1);
            for (Insert insert : queued) {
                sent.put(insert, send(insert, name));
            }
            await("the others queue behind it").atMost(Duration.ofSeconds(30))
                    .until(() -> groups.waiting(tableId) == queued.size());
            lock.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<Insert, Http.Response> answers = new LinkedHashMap<>();
        sent.forEach((insert, answer) -> {
            try {
                answers.put(insert, answer.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return answers;
    }

    private Future<Http.Response> send(Insert insert, String name) {
        return clients.submit(() -> insert.caller().post("/api/v1/data/" + project.id() + "/" + name, insert.row()));
    }

    private static String physical(String name) {
        return "\"" + schemaOf(name) + "\".\"" + name + "\"";
    }

    private static String schemaOf(String name) {
        return AuditTrail.strings("SELECT table_schema FROM information_schema.tables WHERE table_name = ?", name).get(0);
    }

    /** The rows of the table's history, in the order their versions were written. */
    private static List<String> versionsInOrder(String name, String tableId) {
        return AuditTrail.strings("SELECT row_id::text FROM \"" + schemaOf(name) + "\".\"h_"
                + tableId.substring(tableId.indexOf('_') + 1) + "\" ORDER BY version_id");
    }

    /** The rows of the table's insert events, in the event store's order. */
    private static List<String> eventsInOrder(String tableId) {
        return AuditTrail.strings("SELECT aggregateidentifier FROM domainevententry WHERE payloadtype LIKE '%RowInserted'"
                + " AND convert_from(payload, 'UTF8') LIKE ? ORDER BY globalindex", "%" + tableId + "%");
    }

    /** The transaction that wrote the row (its xmin). */
    private static String transactionOf(String name, String rowId) {
        return AuditTrail.strings("SELECT xmin::text FROM " + physical(name) + " WHERE id = ?::uuid", rowId).get(0);
    }

    private static ObjectNode eventMetaData(String rowId) {
        try {
            return (ObjectNode) Http.JSON.readTree(AuditTrail.strings("SELECT convert_from(metadata, 'UTF8') FROM domainevententry"
                    + " WHERE aggregateidentifier = ?", rowId).get(0));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long insertEvents(String tableId) {
        return PhysicalSchema.count("SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%RowInserted'"
                + " AND convert_from(payload, 'UTF8') LIKE ?", "%" + tableId + "%");
    }
}
