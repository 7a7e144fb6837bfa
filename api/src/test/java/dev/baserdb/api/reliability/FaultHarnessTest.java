package dev.baserdb.api.reliability;

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
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault harness (issue 16), one node: BaserDB as a separate process on a database of its own,
 * under load over HTTP ({@link Workload}), killed with {@code kill -9} at random moments and stopped
 * with SIGTERM. After each ordeal the database itself is checked: every acknowledged write is
 * present exactly once in the event store, the data table, the history table and the audit trail;
 * a write whose answer was lost is wholly present or wholly absent; the audit trail verifies. The
 * kills come after a random number of further acknowledged writes (never after a fixed time),
 * while the audit processor is catching up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultHarnessTest {

    private static final int WRITERS = 8;
    private static final int KILLS = 5;

    private Node node;
    private Workload load;
    private final List<Duration> recoveries = new ArrayList<>();

    @BeforeAll
    void aNodeWithATable() throws Exception {
        String database = TestDatabase.createExtra("faults");
        node = Node.on(database, "faults").start();
        load = Workload.prepare(database, node.http());
    }

    @AfterAll
    void stop() {
        if (node != null && node.alive()) {
            node.kill();
        }
    }

    @Test
    @Order(1)
    void given_kill_9_at_random_moments_under_inserts_and_batches_then_every_acknowledged_write_is_there_exactly_once()
            throws Exception {
        try (Workload.Writers writers = load.writers(WRITERS, node::http)) {
            for (int kill = 1; kill <= KILLS; kill++) {
                load.awaitAcknowledged(20 + ThreadLocalRandom.current().nextInt(200));
                writers.pause();
                long killedAt = System.nanoTime();
                node.kill();
                node.start();
                recoveries.add(Duration.ofNanos(System.nanoTime() - killedAt));
                writers.resume();
            }
            load.awaitAcknowledged(50);
        }

        load.assertExactlyOnce(node.http());
        // figures for the record (bench/RESULTS.md): not asserted, a loaded machine changes them
        System.out.printf("fault harness: %d kills survived; %d writes acknowledged, %d unanswered; healthy again"
                + " after a kill in %s%n", KILLS, load.acknowledged.size(), load.uncertain.size(), recoveries);
    }

    @Test
    @Order(2)
    void given_sigterm_under_load_then_in_flight_writes_finish_claims_are_released_and_the_exit_code_is_0()
            throws Exception {
        int exitCode;
        long pid;
        try (Workload.Writers writers = load.writers(WRITERS, node::http)) {
            load.awaitAcknowledged(50);
            pid = node.pid();
            exitCode = node.terminate();
            writers.pause();
        }

        assertThat(exitCode).as("exit code after SIGTERM").isZero();
        // Only this process's claims: those of the process killed before may still wait for their timeout.
        assertThat(load.count("SELECT count(*) FROM tokenentry WHERE owner LIKE '" + pid + "@%'"))
                .as("token claims the stopped node still holds").isZero();
        node.start();
        load.assertExactlyOnce(node.http());
    }
}
