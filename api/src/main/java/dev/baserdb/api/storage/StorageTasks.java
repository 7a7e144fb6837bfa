package dev.baserdb.api.storage;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.time.Instant;

/**
 * The blob cleanup's place in the persistent scheduler (db-scheduler, table {@code scheduled_tasks},
 * as backups use it): task {@value #CLEANUP} runs on one node at a time, {@code
 * BASERDB_STORAGE_CLEANUP_INTERVAL} after the previous run ended (the first one an interval after the
 * task is first registered, not at every start). {@link BlobCleanup}'s advisory lock keeps it from
 * overlapping a run an admin started.
 */
@Configuration
class StorageTasks {

    static final String CLEANUP = "storage-cleanup";

    /** The cleanup is looked up when the task fires (it is made after the scheduler's tasks). */
    @Bean
    RecurringTask<Void> storageCleanupTask(ObjectProvider<BlobCleanup> cleanup, StorageProperties settings) {
        return Tasks.recurring(CLEANUP, new Every(settings.cleanupInterval()))
                .execute((instance, context) -> cleanup.getObject().runOnce());
    }

    /** A fixed delay from the end of a run; the first run one delay after registration; zero: off. */
    record Every(Duration interval) implements Schedule {

        @Override
        public Instant getNextExecutionTime(ExecutionComplete executionComplete) {
            return executionComplete.getTimeDone().plus(interval);
        }

        @Override
        public Instant getInitialExecutionTime(Instant now) {
            return now.plus(interval);
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }

        @Override
        public boolean isDisabled() {
            return interval.isZero();
        }
    }
}
