package dev.baserdb.api.audit;

import dev.baserdb.api.platform.crypto.MasterKey;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.query.audit.AuditCheckpoint;
import dev.baserdb.query.audit.AuditLog;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the checkpoint job takes a checkpoint: at least every minute even when the trail is still,
 * and once across nodes. Each "node" here is an instance of {@link AuditCheckpoints} on the
 * shared database with a clock the test sets (a little ahead of real time, so the application's
 * own job, which runs meanwhile, sees these checkpoints as fresh and takes none).
 */
@ApiTest
class AuditCheckpointScheduleTest {

    @Autowired
    DSLContext db;
    @Autowired
    MasterKey masterKey;
    @Autowired
    AuditLog audit;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void given_a_still_trail_when_the_job_runs_then_a_checkpoint_is_taken_once_the_latest_is_45_seconds_old() {
        AuditTrail.awaitCaughtUp();
        SetClock clock = new SetClock(Instant.now().plus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS));
        AuditCheckpoints node = new AuditCheckpoints(db, masterKey, audit, clock, transactionManager);

        AuditCheckpoint first = node.takeIfDue();
        clock.now = first.at().plus(Duration.ofSeconds(44));
        AuditCheckpoint stillFresh = node.takeIfDue();
        clock.now = first.at().plus(AuditCheckpoints.MAX_AGE);
        AuditCheckpoint next = node.takeIfDue();

        assertThat(stillFresh.id()).isEqualTo(first.id());
        assertThat(next.id()).isGreaterThan(first.id());
        assertThat(next.at()).isEqualTo(first.at().plus(AuditCheckpoints.MAX_AGE));
        assertThat(next.count()).isEqualTo(first.count());
        assertThat(node.signatureValid(next)).isTrue();
    }

    @Test
    void given_two_nodes_when_both_run_the_job_at_once_then_one_checkpoint_is_taken() throws Exception {
        AuditTrail.awaitCaughtUp();
        Instant at = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        AuditCheckpoints one = new AuditCheckpoints(db, masterKey, audit, new SetClock(at), transactionManager);
        AuditCheckpoints two = new AuditCheckpoints(db, masterKey, audit, new SetClock(at), transactionManager);
        long before = AuditTrail.count("SELECT count(*) FROM audit_checkpoints");
        CountDownLatch start = new CountDownLatch(1);

        CompletableFuture<AuditCheckpoint> byOne = CompletableFuture.supplyAsync(() -> await(start, one));
        CompletableFuture<AuditCheckpoint> byTwo = CompletableFuture.supplyAsync(() -> await(start, two));
        start.countDown();

        assertThat(byOne.get().id()).isEqualTo(byTwo.get().id());
        assertThat(byOne.get().at()).isEqualTo(at);
        assertThat(AuditTrail.count("SELECT count(*) FROM audit_checkpoints")).isEqualTo(before + 1);
    }

    private static AuditCheckpoint await(CountDownLatch start, AuditCheckpoints node) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return node.takeIfDue();
    }

    /** A clock the test sets. */
    private static final class SetClock extends Clock {
        private volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
