package dev.baserdb.api.data;

import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.InProcessNode;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestClock;
import dev.baserdb.api.support.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.baserdb.api.support.InProcessNode.port;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code BASERDB_DATA_RATE_LIMIT_STORE=postgres} the data API's rate limit holds across nodes
 * (issue 16): one caller's requests spread over two nodes draw from one bucket, so the limit is
 * the limit of the whole platform, not of each node. Both nodes' clocks stand still, so no token
 * refills while the test counts.
 */
class DataRateLimitAcrossNodesTest {

    private static final int LIMIT = 10;

    private final String database = TestDatabase.createExtra("ratelimit");
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void given_two_nodes_sharing_buckets_when_one_caller_alternates_between_them_then_the_limit_is_the_platforms()
            throws Exception {
        ConfigurableApplicationContext nodeA = start();
        ConfigurableApplicationContext nodeB = start();
        Http a = new Http(port(nodeA));
        Http b = new Http(port(nodeB));
        Accounts.Account owner = new Accounts(a).anAccount();
        Tenancy tenancy = new Tenancy(a);
        Tenancy.Project project = tenancy.aProject(owner, tenancy.anOrganization(owner));
        Tenancy.ok(a.bearer(owner.accessToken()).post("/api/v1/tables", Http.json("project_id", project.id(),
                "name", "things", "columns", List.of(Http.json("name", "title", "type", "TEXT")))));
        nodeA.getBean(TestClock.class).freeze();
        nodeB.getBean(TestClock.class).freeze();
        String path = "/api/v1/data/" + project.id() + "/things";

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < LIMIT + 6; i++) {
            Http node = i % 2 == 0 ? a : b;
            statuses.add(node.with("X-API-Key", project.serviceKey()).get(path).status());
        }

        assertThat(statuses.subList(0, LIMIT)).as("within the limit, on either node").containsOnly(200);
        assertThat(statuses.subList(LIMIT, statuses.size())).as("past the limit, on either node").containsOnly(429);
        Http.Response refused = b.with("X-API-Key", project.serviceKey()).get(path);
        assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.header("Retry-After")).isNotBlank();
    }

    private ConfigurableApplicationContext start() throws Exception {
        ConfigurableApplicationContext context = InProcessNode.startWith(TestClock.Configuration.class, database,
                "--baserdb.data.rate-limit-per-minute=" + LIMIT,
                "--baserdb.data.rate-limit-store=postgres");
        running.add(context);
        return context;
    }

}
