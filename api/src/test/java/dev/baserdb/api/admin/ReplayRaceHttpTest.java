package dev.baserdb.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild of an inline read model races nothing (docs/operations.md, "Replaying read models"):
 * writes that arrive while a read model is rebuilt from the event store wait for the rebuild and
 * then apply to the new tables, so no acknowledged write is lost, none is applied twice, and the
 * tables afterwards are exactly what a rebuild from the events alone gives.
 *
 * <p>Writers change rows that exist (an update racing a rebuild that empties and refills the
 * tables is the case that loses writes without a fence) and add new ones, before, during and after
 * the rebuild. Each writer owns its rows, so the last value it had acknowledged is the row's value.
 *
 * <p>The data writers are one caller, so they share one data-API rate limit (600 requests a
 * minute). They pace themselves below it, {@link #PACE}, so that however long a rebuild takes on
 * the machine at hand (it grows with the events of the whole run) no write is refused for being
 * one too many.
 */
@ApiTest
class ReplayRaceHttpTest {

    private static final String PROJECTIONS = "/api/v1/admin/projections";
    private static final int WRITERS = 4;
    private static final Duration REBUILD = Duration.ofSeconds(120);
    /** The writers' pace: 300 requests at once, then 400 a minute; the server allows 600 and 600 a minute. */
    private static final Bandwidth PACE = Bandwidth.builder().capacity(300)
            .refillGreedy(400, Duration.ofMinutes(1)).build();

    @LocalServerPort
    int port;

    private Http http;
    private Http admin;
    private Accounts accounts;
    private Tenancy tenancy;

    @BeforeEach
    void clients() {
        http = new Http(port);
        accounts = new Accounts(http);
        tenancy = new Tenancy(http);
        admin = http.bearer(accounts.admin().accessToken());
    }

    /** What one writer does to its own resource: change it to {@code value}, or add something new. */
    private interface Writer {

        /** Sets the writer's resource to {@code value}; the response. */
        Http.Response change(int value);

        /** Adds a new resource; the response. */
        Http.Response add(int value);

        /** The value the resource has now, as read through the API. */
        int current();
    }

    @Test
    void given_row_updates_racing_a_data_plane_rebuild_when_both_are_done_then_every_acknowledged_write_is_there_once() throws Exception {
        Accounts.Account owner = accounts.anAccount();
        Http owned = http.bearer(owner.accessToken());
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        String rows = "/api/v1/data/" + project.id() + "/counters";
        ok(owned.post("/api/v1/tables", Http.json("project_id", project.id(), "name", "counters",
                "columns", List.of(Map.of("name", "writer", "type", "INT"), Map.of("name", "value", "type", "INT")))));
        List<Writer> writers = new ArrayList<>();
        for (int writer = 0; writer < WRITERS; writer++) {
            int me = writer;
            String id = ok(owned.post(rows, Http.json("writer", me, "value", 0))).path("id").asText();
            writers.add(new Writer() {
                public Http.Response change(int value) {
                    return owned.patch(rows + "/" + id, Http.json("value", value));
                }

                public Http.Response add(int value) {
                    return owned.post(rows, Http.json("writer", me, "value", -value));
                }

                public int current() {
                    return ok(owned.get(rows + "/" + id)).path("value").asInt();
                }
            });
        }

        int added = race("data_plane", writers);

        assertThat(ok(owned.get(rows + "?select=id&limit=1000")).size()).isEqualTo(WRITERS + added);
        Map<String, List<String>> live = dataPlane(project.id());
        rebuild("data_plane");
        assertThat(dataPlane(project.id())).as("the data plane rebuilt again from the events alone").isEqualTo(live);
    }

    @Test
    void given_renames_racing_an_organizations_rebuild_when_both_are_done_then_every_acknowledged_rename_is_there() throws Exception {
        List<Writer> writers = new ArrayList<>();
        List<String> organizations = new ArrayList<>();
        for (int writer = 0; writer < WRITERS; writer++) {
            Accounts.Account owner = accounts.anAccount();
            Http owned = http.bearer(owner.accessToken());
            String organization = tenancy.anOrganization(owner);
            organizations.add(organization);
            writers.add(new Writer() {
                public Http.Response change(int value) {
                    return owned.patch("/api/v1/organizations/" + organization, Http.json("name", "name " + value));
                }

                public Http.Response add(int value) {
                    return owned.post("/api/v1/projects", Http.json("organization_id", organization,
                            "name", "project " + value));
                }

                public int current() {
                    String name = ok(owned.get("/api/v1/organizations/" + organization)).path("name").asText();
                    return name.startsWith("name ") ? Integer.parseInt(name.substring(5)) : 0;
                }
            });
        }

        race("organizations", writers);

        String versions = "SELECT (o.id, o.name, o.version, o.valid_from, o.valid_to)::text FROM organization_versions o"
                + " WHERE o.id IN ('" + String.join("','", organizations) + "') ORDER BY 1";
        List<String> live = AuditTrail.strings(versions);
        rebuild("organizations");
        assertThat(AuditTrail.strings(versions)).as("organizations rebuilt again from the events alone")
                .isEqualTo(live);
    }

    /**
     * Runs the writers before, during and after a rebuild of {@code readModel}, then checks every
     * writer's resource has its last acknowledged value; answers how many resources were added.
     */
    private int race(String readModel, List<Writer> writers) throws Exception {
        Map<Integer, Integer> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger added = new AtomicInteger();
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean rebuilding = new AtomicBoolean();
        AtomicInteger duringRebuild = new AtomicInteger();
        Bucket pace = Bucket.builder().addLimit(PACE).build();
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < writers.size(); w++) {
            int me = w;
            Writer writer = writers.get(w);
            running.add(pool.submit(() -> {
                for (int value = 1; !stop.get(); value++) {
                    pace.asBlocking().consume(1);
                    boolean during = rebuilding.get();
                    Http.Response changed = writer.change(value);
                    if (changed.status() / 100 == 2) {
                        acknowledged.put(me, value);
                        if (during) {
                            duringRebuild.incrementAndGet();
                        }
                    } else {
                        refused.add(changed.toString());
                    }
                    pace.asBlocking().consume(1);
                    Http.Response add = writer.add(value);
                    if (add.status() / 100 == 2) {
                        added.incrementAndGet();
                    } else {
                        refused.add(add.toString());
                    }
                }
                return null;
            }));
        }
        try {
            await("writes under way").atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() == writers.size());
            rebuilding.set(true);
            rebuild(readModel);
            rebuilding.set(false);
            int before = added.get();
            await("writes after the rebuild").atMost(Duration.ofSeconds(30))
                    .until(() -> added.get() >= before + writers.size());
        } finally {
            stop.set(true);
            for (Future<?> writer : running) {
                writer.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }

        assertThat(refused).as("writes refused while racing the rebuild").isEmpty();
        assertThat(duringRebuild.get()).as("writes sent while the rebuild ran").isPositive();
        for (int w = 0; w < writers.size(); w++) {
            assertThat(writers.get(w).current()).as("writer " + w + "'s last acknowledged value")
                    .isEqualTo(acknowledged.get(w));
        }
        return added.get();
    }

    private void rebuild(String readModel) {
        Http.Response replay = admin.post(PROJECTIONS + "/" + readModel + "/replay", null);
        assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
        await(readModel + " rebuilt").atMost(REBUILD).pollInterval(Duration.ofMillis(50))
                .until(() -> !status(readModel).path("replaying").asBoolean());
        assertThat(status(readModel).path("last_error").isNull()).as("the rebuild succeeded: " + status(readModel))
                .isTrue();
    }

    private JsonNode status(String readModel) {
        for (JsonNode status : ok(admin.get(PROJECTIONS))) {
            if (status.path("name").asText().equals(readModel)) {
                return status;
            }
        }
        throw new AssertionError("no read model " + readModel);
    }

    /** The project's managed tables and their histories, row by row as text. */
    private static Map<String, List<String>> dataPlane(String projectId) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String table : AuditTrail.strings("SELECT format('%I.%I', t.schemaname, t.tablename) FROM pg_tables t"
                + " JOIN table_versions v ON v.schema_name = t.schemaname WHERE v.project_id = ? AND v.valid_to IS NULL"
                + " GROUP BY 1 ORDER BY 1", projectId)) {
            // A history row's own key is a sequence value, which a rebuild draws anew: compare the rest.
            String row = table.contains(".h_") ? "(row_id, version, operation, valid_from, valid_to, event_id,"
                    + " actor_type, actor_id, id, writer, value)" : "t";
            tables.put(table, AuditTrail.strings("SELECT " + row + "::text FROM " + table + " t ORDER BY 1"));
        }
        assertThat(tables).as("the project's physical tables").isNotEmpty();
        return tables;
    }
}
