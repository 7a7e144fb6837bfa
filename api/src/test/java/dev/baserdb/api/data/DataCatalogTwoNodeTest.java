package dev.baserdb.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.InProcessNode;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.InProcessNode.port;
import static dev.baserdb.api.support.Tenancy.ok;
import static dev.baserdb.api.support.Tenancy.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one database, each with its table metadata in memory: a table change made through
 * one node reaches the other node's requests as soon as its transaction commits (PostgreSQL
 * notifies the other node's catalog, which forgets what it held). The bound below is generous
 * for a busy machine; delivery normally takes milliseconds.
 */
class DataCatalogTwoNodeTest {

    private static final Duration ACROSS_NODES = Duration.ofSeconds(10);

    private final String database = TestDatabase.createExtra("catalog");
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void given_a_table_cached_on_node_b_when_node_a_changes_its_columns_policies_and_name_then_node_b_follows()
            throws Exception {
        Http a = new Http(port(start()));
        Http b = new Http(port(start()));
        Accounts.Account owner = new Accounts(a).anAccount();
        Tenancy tenancy = new Tenancy(a);
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        Http operatorA = a.bearer(owner.accessToken());
        Http serviceB = b.with("X-API-Key", project.serviceKey());
        String name = unique("shared");
        String table = ok(operatorA.post("/api/v1/tables", Http.json("project_id", project.id(), "name", name,
                "columns", List.of(Http.json("name", "title", "type", "TEXT"))))).path("id").asText();
        String path = "/api/v1/data/" + project.id() + "/" + name;
        ok(serviceB.post(path, Http.json("title", "through b")));
        ok(serviceB.get(path)); // node B has the table in its catalog now

        ok(operatorA.post("/api/v1/tables/" + table + "/columns", Http.json("name", "rank", "type", "INT")));
        await("node B writes the new column").atMost(ACROSS_NODES).pollInterval(Duration.ofMillis(20))
                .until(() -> serviceB.post(path, Http.json("title", "ranked", "rank", 2)).status() == 201);

        Http.Response anonBefore = b.get(path);
        assertThat(anonBefore.status()).as(anonBefore.toString()).isEqualTo(200);
        assertThat(anonBefore.data()).as("no policy: anon reads nothing").isEmpty();
        ok(operatorA.put("/api/v1/tables/" + table + "/policies", List.of(Http.json("api_role", "anon",
                "operation", "SELECT", "allowed", true, "constraint_sql", "rank > 1"))));
        await("node B reads under the new policy").atMost(ACROSS_NODES).pollInterval(Duration.ofMillis(20))
                .until(() -> b.get(path).data().size() == 1);

        ok(operatorA.delete("/api/v1/tables/" + table));
        await("node B no longer finds the table").atMost(ACROSS_NODES).pollInterval(Duration.ofMillis(20))
                .until(() -> serviceB.get(path).status() == 404);
        JsonNode again = ok(operatorA.post("/api/v1/tables", Http.json("project_id", project.id(), "name", name,
                "columns", List.of(Http.json("name", "body", "type", "TEXT")))));
        assertThat(again.path("id").asText()).isNotEqualTo(table);
        await("node B writes into the new table of that name").atMost(ACROSS_NODES).pollInterval(Duration.ofMillis(20))
                .until(() -> serviceB.post(path, Http.json("body", "new table")).status() == 201);
        assertThat(ok(serviceB.get(path))).hasSize(1);
    }

    @Test
    void given_writes_through_node_b_when_node_a_archives_the_organization_then_both_nodes_refuse_writes_at_once()
            throws Exception {
        Http a = new Http(port(start()));
        Http b = new Http(port(start()));
        Accounts.Account owner = new Accounts(a).anAccount();
        Tenancy tenancy = new Tenancy(a);
        String organization = tenancy.anOrganization(owner);
        Tenancy.Project project = tenancy.aProject(owner, organization);
        Http operatorA = a.bearer(owner.accessToken());
        String name = unique("archived");
        ok(operatorA.post("/api/v1/tables", Http.json("project_id", project.id(), "name", name,
                "columns", List.of(Http.json("name", "title", "type", "TEXT")))));
        String path = "/api/v1/data/" + project.id() + "/" + name;
        Http serviceA = a.with("X-API-Key", project.serviceKey());
        Http serviceB = b.with("X-API-Key", project.serviceKey());
        // both nodes have checked (and keep in their catalogs) that the organization is not archived
        ok(serviceA.post(path, Http.json("title", "through a")));
        ok(serviceB.post(path, Http.json("title", "through b")));

        ok(operatorA.delete("/api/v1/organizations/" + organization));

        Http.Response onA = serviceA.post(path, Http.json("title", "after, through a"));
        assertThat(onA.status()).as("the archiving node, at once: " + onA).isEqualTo(409);
        await("node B refuses writes once the notification arrived").atMost(ACROSS_NODES)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> serviceB.post(path, Http.json("title", "after, through b")).status() == 409);
        assertThat(ok(serviceB.get(path)).findValuesAsText("title")).as("node A wrote nothing after the archive")
                .doesNotContain("after, through a");
    }

    private ConfigurableApplicationContext start() throws Exception {
        ConfigurableApplicationContext context = InProcessNode.start(database);
        running.add(context);
        return context;
    }

}
