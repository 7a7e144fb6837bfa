package dev.baserdb.api.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on one database with no proxy in front (issue 16): the test spreads requests over
 * both. Commands for one aggregate made on both nodes at once are serialised by the event store
 * (a stale {@code If-Match} is 412 and changes nothing, so no update is lost), and when the node
 * that holds the audit processor's claim is killed, the other takes the claim over and the trail
 * catches up with nothing lost or doubled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeHarnessTest {

    private static final int UPDATES_PER_THREAD = 8;
    /** Axon's claim timeout (10 s) plus its claim interval, with room for a loaded machine. */
    private static final Duration TAKEOVER = Duration.ofSeconds(90);

    private Node a;
    private Node b;
    private Workload load;

    @BeforeAll
    void twoNodes() throws Exception {
        String database = TestDatabase.createExtra("twonodes");
        a = Node.on(database, "two-nodes-a").start();
        b = Node.on(database, "two-nodes-b").start();
        load = Workload.prepare(database, a.http());
    }

    @AfterAll
    void stop() {
        for (Node node : new Node[]{a, b}) {
            if (node != null && node.alive()) {
                node.kill();
            }
        }
    }

    @Test
    @Order(1)
    void given_updates_of_one_organization_on_both_nodes_at_once_then_each_acknowledged_one_is_kept() throws Exception {
        Accounts.Account owner = new Accounts(a.http()).anAccount();
        String organization = new Tenancy(a.http()).anOrganization(owner);
        String path = "/api/v1/organizations/" + organization;
        ok(a.http().bearer(owner.accessToken()).patch(path, Http.json("name", "count 0")));
        long eventsBefore = load.count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = '"
                + organization + "'");
        AtomicInteger refused = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Http node = (t % 2 == 0 ? a : b).http().bearer(owner.accessToken());
            running.add(threads.submit(() -> {
                for (int done = 0; done < UPDATES_PER_THREAD; ) {
                    Http.Response current = node.get(path);
                    int count = Integer.parseInt(ok(current).path("name").asText().substring("count ".length()));
                    Http.Response update = node.with("If-Match", current.header("ETag"))
                            .patch(path, Http.json("name", "count " + (count + 1)));
                    if (update.status() == 200) {
                        done++;
                    } else {
                        assertThat(update.status()).as(update.toString()).isIn(409, 412);
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> thread : running) {
            thread.get(180, TimeUnit.SECONDS);
        }
        threads.shutdown();

        int acknowledged = 4 * UPDATES_PER_THREAD;
        JsonNode result = ok(b.http().bearer(owner.accessToken()).get(path));
        assertThat(result.path("name").asText()).as("every acknowledged increment counted once")
                .isEqualTo("count " + acknowledged);
        assertThat(load.count("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = '" + organization + "'"))
                .as("one event per acknowledged update").isEqualTo(eventsBefore + acknowledged);
        System.out.printf("two nodes: %d updates of one organization acknowledged, %d refused as stale (409/412)%n",
                acknowledged, refused.get());
    }

    @Test
    @Order(2)
    void given_load_on_both_nodes_when_the_node_holding_the_audit_claim_is_killed_then_the_other_takes_over()
            throws Exception {
        load.awaitAuditOwner();
        String owner = load.auditOwner();
        Node victim = owner.startsWith(b.pid() + "@") ? b : a;
        Node survivor = victim == a ? b : a;
        AtomicReference<Node> down = new AtomicReference<>();
        AtomicInteger turn = new AtomicInteger();
        Duration takeover;
        try (Workload.Writers writers = load.writers(8, () -> {
            Node next = turn.getAndIncrement() % 2 == 0 ? a : b;
            return (next == down.get() ? survivor : next).http();
        })) {
            load.awaitAcknowledged(100);
            down.set(victim);
            long killedAt = System.nanoTime();
            victim.kill();
            await("the survivor holding the audit claim").atMost(TAKEOVER).pollInterval(Duration.ofMillis(100))
                    .until(() -> load.auditOwner() != null && load.auditOwner().startsWith(survivor.pid() + "@"));
            takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            load.awaitAcknowledged(100);
            victim.start();
            down.set(null);
            load.awaitAcknowledged(100);
        }

        load.assertExactlyOnce(survivor.http());
        System.out.printf("two nodes: audit claim taken over %s after the kill; %d writes acknowledged, %d unanswered%n",
                takeover, load.acknowledged.size(), load.uncertain.size());
    }

    @Test
    @Order(3)
    void given_load_on_both_nodes_when_they_are_restarted_one_after_the_other_with_sigterm_then_nothing_is_lost()
            throws Exception {
        AtomicReference<Node> down = new AtomicReference<>();
        AtomicInteger turn = new AtomicInteger();
        try (Workload.Writers writers = load.writers(8, () -> {
            Node next = turn.getAndIncrement() % 2 == 0 ? a : b;
            return (next == down.get() ? (next == a ? b : a) : next).http();
        })) {
            for (Node node : new Node[]{a, b}) {
                load.awaitAcknowledged(100);
                down.set(node);
                assertThat(node.terminate()).as("exit code after SIGTERM").isZero();
                node.start();
                down.set(null);
            }
            load.awaitAcknowledged(100);
        }

        load.assertExactlyOnce(a.http());
    }
}
