package dev.baserdb.api.backup;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.PlainScheduleAndData;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The backup work the persistent scheduler (db-scheduler, table {@code scheduled_tasks}) carries out.
 * Each execution lives in PostgreSQL, is picked by exactly one node, survives restarts (a node that
 * dies mid-run leaves a dead execution another node revives), and is scheduled in the same
 * transaction as the command that asks for it:
 * <ul>
 *   <li>{@value #RUN}: one backup run (instance = run id);</li>
 *   <li>{@value #RESTORE}: one restore into a new project (instance = the new project's id);</li>
 *   <li>{@value #SCHEDULE}: a project's backup schedule (instance = project id, its cron persisted with it).</li>
 * </ul>
 */
@Configuration
class BackupTasks {

    static final String RUN = "backup-run";
    static final String RESTORE = "backup-restore";
    static final String SCHEDULE = "backup-schedule";

    @Bean
    OneTimeTask<String> backupRunTask(BackupRunner runner) {
        return Tasks.oneTime(RUN, String.class).execute((instance, context) -> runner.run(instance.getData()));
    }

    @Bean
    OneTimeTask<BackupRestorer.Request> backupRestoreTask(BackupRestorer restorer) {
        return Tasks.oneTime(RESTORE, BackupRestorer.Request.class)
                .execute((instance, context) -> restorer.restore(instance.getData()));
    }

    /** The service is looked up when a slot fires: it schedules work itself, so it needs the scheduler. */
    @Bean
    RecurringTaskWithPersistentSchedule<PlainScheduleAndData> backupScheduleTask(ObjectProvider<Backups> backups) {
        return Tasks.recurringWithPersistentSchedule(SCHEDULE, PlainScheduleAndData.class)
                .execute((instance, context) -> backups.getObject().startScheduledRun(instance.getId()));
    }

    /** The scheduler reads time from the platform's clock, like everything else. */
    @Bean
    com.github.kagkarlsson.scheduler.Clock schedulerClock(Clock clock) {
        return clock::instant;
    }
}
