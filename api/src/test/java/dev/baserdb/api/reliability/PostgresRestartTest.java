package dev.baserdb.api.reliability;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL stopped and started again under load (issue 16), on a server of the test's own so
 * nothing else on the machine notices: the node reports itself unhealthy (503) while the database
 * is away and healthy again once it is back, without a restart of its own; writers go on; every
 * acknowledged write is there exactly once, and the audit trail catches up and verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRestartTest {

    private PrivatePostgres server;
    private Node node;
    private Workload load;

    @BeforeAll
    void aNodeOnItsOwnServer() throws Exception {
        server = PrivatePostgres.start();
        String database = server.createDatabase("baserdb_faults");
        node = Node.on(database, "postgres-restart").start();
        load = Workload.prepare(database, node.http());
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null && node.alive()) {
            node.kill();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void given_postgresql_stopped_and_started_under_load_then_the_node_recovers_by_itself_and_nothing_is_lost()
            throws Exception {
        Duration recovery;
        try (Workload.Writers writers = load.writers(8, node::http)) {
            load.awaitAcknowledged(100);
            server.stop();
            await("health 503 while PostgreSQL is away").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> health() == 503);
            long startedAt = System.nanoTime();
            server.startServer();
            await("health 200 again").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> health() == 200);
            recovery = Duration.ofNanos(System.nanoTime() - startedAt);
            load.awaitAcknowledged(200);
        }

        assertThat(node.alive()).as("the node kept running").isTrue();
        load.assertExactlyOnce(node.http());
        System.out.printf("postgres restart: healthy %s after PostgreSQL was started again; %d writes acknowledged,"
                + " %d unanswered%n", recovery, load.acknowledged.size(), load.uncertain.size());
    }

    private int health() {
        try {
            return node.http().get("/api/healthz").status();
        } catch (RuntimeException unreachable) {
            return -1;
        }
    }
}
