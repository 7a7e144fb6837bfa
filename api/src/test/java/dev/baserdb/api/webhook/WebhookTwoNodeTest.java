package dev.baserdb.api.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.InProcessNode;
import dev.baserdb.api.support.TableFixtures;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.api.support.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.baserdb.api.support.InProcessNode.port;
import static dev.baserdb.api.support.TableFixtures.column;
import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one database, each running the webhook outbox processor (two segments, one claimed
 * by each) and the persistent scheduler: every event is delivered to the receiver exactly
 * once, whichever node wrote it and whichever node's processor and scheduler took it.
 */
class WebhookTwoNodeTest {

    private static final int ROWS = 40;

    private final String database = TestDatabase.createExtra("webhooks");
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void given_two_nodes_when_rows_are_written_through_both_then_each_event_is_delivered_exactly_once() throws Exception {
        Http a = new Http(port(start("a")));
        Http b = new Http(port(start("b")));
        Accounts.Account owner = new Accounts(a).anAccount();
        Tenancy tenancy = new Tenancy(a);
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        String table = new TableFixtures(a).aTable(owner, project.id(), column("n", "INT")).path("name").asText();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            ok(a.bearer(owner.accessToken()).post("/api/v1/projects/" + project.id() + "/webhooks",
                    Http.json("url", receiver.url(), "events", List.of("row.inserted"))));
            Set<String> written = new HashSet<>();
            for (int i = 0; i < ROWS; i++) {
                Http node = i % 2 == 0 ? a : b;
                written.add(TableFixtures.insert(node.with("X-API-Key", project.serviceKey()), project.id(), table,
                        Http.json("n", i)).path("id").asText());
            }

            try {
                await("every row delivered").atMost(Duration.ofSeconds(60)).until(() -> receiver.received().size() >= ROWS);
            } catch (RuntimeException e) {
                System.out.println("Outbox state at timeout: received " + receiver.received().size() + " " + dump());
                throw e;
            }
            await("and nothing twice").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.received().size() == ROWS);
            List<JsonNode> bodies = new ArrayList<>();
            for (WebhookReceiver.Received post : receiver.received()) {
                bodies.add(Http.JSON.readTree(post.body()));
            }
            Map<String, Long> perEvent = bodies.stream()
                    .collect(Collectors.groupingBy(body -> body.path("event_id").asText(), Collectors.counting()));
            assertThat(perEvent).hasSize(ROWS).allSatisfy((event, count) -> assertThat(count).isEqualTo(1));
            assertThat(bodies.stream().map(body -> body.path("data").path("id").asText()).collect(Collectors.toSet()))
                    .isEqualTo(written);
        }
        assertThat(segmentOwners()).as("both nodes hold a segment of the outbox").hasSize(2);
    }

    private String dump() throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement statement = connection.createStatement()) {
            for (String sql : List.of("SELECT processorname, segment, owner, token IS NULL FROM tokenentry",
                    "SELECT status, attempts, count(*) FROM webhook_deliveries GROUP BY 1, 2",
                    "SELECT task_name, picked, picked_by, execution_time, consecutive_failures FROM scheduled_tasks")) {
                try (ResultSet rows = statement.executeQuery(sql)) {
                    while (rows.next()) {
                        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                            out.append(rows.getString(i)).append(' ');
                        }
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    /** The distinct owners of the outbox processor's token segments. */
    private Set<String> segmentOwners() throws Exception {
        try (Connection connection = DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
             Statement statement = connection.createStatement();
             ResultSet owners = statement.executeQuery(
                     "SELECT owner FROM tokenentry WHERE processorname = 'webhook-outbox' AND owner IS NOT NULL")) {
            Set<String> found = new HashSet<>();
            while (owners.next()) {
                found.add(owners.getString(1));
            }
            return found;
        }
    }

    private ConfigurableApplicationContext start(String node) throws Exception {
        ConfigurableApplicationContext context = InProcessNode.start(database,
                "--baserdb.data-dir=" + Files.createTempDirectory("baserdb-webhooks-" + node),
                "--baserdb.node-id=node-" + node,
                "--baserdb.webhooks.allow-loopback=true",
                // one segment each, so both nodes' processors fill the outbox
                "--baserdb.webhooks.claimed-segments=1",
                "--db-scheduler.polling-interval=500ms");
        running.add(context);
        return context;
    }
}
