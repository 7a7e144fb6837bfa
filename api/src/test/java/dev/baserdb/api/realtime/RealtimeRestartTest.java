package dev.baserdb.api.realtime;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.InProcessNode;
import dev.baserdb.api.support.SseClient;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.InProcessNode.port;
import static dev.baserdb.api.support.TableFixtures.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A change stream across a server restart: the client reads some changes, the server stops (the
 * stream ends with a {@code shutdown} event), changes are made on the restarted server while the
 * client is away, and the client comes back with Last-Event-ID — it then receives exactly the
 * changes after its last event, from the event store, followed by live ones: none missed, none twice.
 */
class RealtimeRestartTest {

    private static final Duration LIVE = Duration.ofSeconds(30);

    private final String database = TestDatabase.createExtra("realtime");
    private final String dataDir = tempDir();
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void given_a_client_that_read_before_a_restart_when_it_resumes_with_Last_Event_ID_then_nothing_is_missed_or_doubled() {
        ConfigurableApplicationContext first = start();
        int port = port(first);
        Http http = new Http(port);
        Accounts.Account owner = new Accounts(http).anAccount();
        Tenancy tenancy = new Tenancy(http);
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        String table = new TableFixtures(http).aTable(owner, project.id(), column("title", "TEXT")).path("name").asText();
        String path = "/api/v1/realtime/" + project.id() + "?tables=" + table;

        SseClient before = SseClient.open(port, path, "X-API-Key", project.serviceKey());
        await().atMost(LIVE).until(() -> !before.events("ready").isEmpty());
        for (int i = 1; i <= 3; i++) {
            insert(http, project, table, "before-" + i);
        }
        await("read before the restart").atMost(LIVE).until(() -> before.events("row.inserted").size() == 3);
        String last = before.events("row.inserted").get(2).id();

        first.close();
        running.remove(first);
        await("the stream ended with a shutdown event").atMost(LIVE).until(before::ended);
        assertThat(before.events("shutdown")).hasSize(1);
        before.close();

        ConfigurableApplicationContext second = start();
        Http again = new Http(port(second));
        for (int i = 1; i <= 3; i++) {
            insert(again, project, table, "while-away-" + i);
        }
        try (SseClient back = SseClient.open(port(second), path, "X-API-Key", project.serviceKey(), "Last-Event-ID", last)) {
            assertThat(back.status()).isEqualTo(200);
            await("replayed").atMost(LIVE).until(() -> back.events("row.inserted").size() == 3);
            for (int i = 1; i <= 3; i++) {
                insert(again, project, table, "live-" + i);
            }
            await("live").atMost(LIVE).until(() -> back.events("row.inserted").size() == 6);
            assertThat(back.events("row.inserted").stream().map(e -> e.data().path("data").path("title").asText()))
                    .containsExactly("while-away-1", "while-away-2", "while-away-3", "live-1", "live-2", "live-3");
            assertThat(back.events("row.inserted").stream().map(e -> Long.parseLong(e.id())).toList())
                    .isSorted().doesNotHaveDuplicates().allMatch(id -> id > Long.parseLong(last));
        }
    }

    private static void insert(Http http, Tenancy.Project project, String table, String title) {
        TableFixtures.insert(http.with("X-API-Key", project.serviceKey()), project.id(), table, Http.json("title", title));
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext context = InProcessNode.start(database,
                "--baserdb.data-dir=" + dataDir,
                "--baserdb.realtime.heartbeat=500ms");
        running.add(context);
        return context;
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("baserdb-realtime").toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
