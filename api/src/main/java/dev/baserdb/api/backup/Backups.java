package dev.baserdb.api.backup;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.PlainScheduleAndData;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.CronStyle;
import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.kernel.backup.BackupCommands.StartBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.StartRestore;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.project.ProjectCommands.SetBackupSchedule;
import dev.baserdb.query.backup.BackupRunView;
import dev.baserdb.query.project.ProjectDirectory;
import dev.baserdb.query.project.ProjectView;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Starts backup work: each request becomes a command and a scheduler execution in ONE transaction,
 * so a run or restore is never recorded without the work that completes it, nor the reverse.
 */
@Component
class Backups {

    private final Commands commands;
    private final Scheduler scheduler;
    private final OneTimeTask<String> runTask;
    private final OneTimeTask<BackupRestorer.Request> restoreTask;
    private final RecurringTaskWithPersistentSchedule<PlainScheduleAndData> scheduleTask;
    private final ProjectEventLog events;
    private final ProjectDirectory projects;
    private final Clock clock;

    Backups(Commands commands, Scheduler scheduler, OneTimeTask<String> backupRunTask,
            OneTimeTask<BackupRestorer.Request> backupRestoreTask,
            RecurringTaskWithPersistentSchedule<PlainScheduleAndData> backupScheduleTask, ProjectEventLog events,
            ProjectDirectory projects, Clock clock) {
        this.commands = commands;
        this.scheduler = scheduler;
        this.runTask = backupRunTask;
        this.restoreTask = backupRestoreTask;
        this.scheduleTask = backupScheduleTask;
        this.events = events;
        this.projects = projects;
        this.clock = clock;
    }

    /** Starts a run of the project cut now, or as of an earlier instant; returns the run's id. */
    String startRun(ProjectView project, Instant asOf, boolean scheduled) {
        Instant now = clock.instant();
        Instant at = asOf == null ? now : asOf;
        BackupRunId id = BackupRunId.generate();
        commands.inOneTransaction(() -> {
            long position = asOf == null ? events.head() : events.positionAt(asOf);
            commands.send(new StartBackupRun(id, new ProjectId(project.id()),
                    new OrganizationId(project.organizationId()), position, at, scheduled));
            scheduler.schedule(runTask.instance(id.value(), id.value()), now);
            return null;
        });
        // committed: this node looks for the due run now rather than at its next poll
        scheduler.triggerCheckForDueExecutions();
        return id.value();
    }

    /** A slot of a project's schedule fired: a run as the platform, if the project is still there. */
    void startScheduledRun(String projectId) {
        RequestContext.set(RequestContext.system("backup-schedule-" + projectId));
        try {
            projects.find(projectId, null).ifPresent(project -> startRun(project, null, true));
        } finally {
            RequestContext.clear();
        }
    }

    /** Starts a restore of a succeeded run into a new project of the run's organization. */
    void startRestore(BackupRunView run, ProjectId target, String name, String slug, String serviceKeyHash) {
        RequestContext context = RequestContext.current();
        BackupRestorer.Request request = new BackupRestorer.Request(run.id(), target.value(), name, slug,
                serviceKeyHash, context.actorType(), context.actorId(), context.impersonatorId(), context.requestId());
        commands.inOneTransaction(() -> {
            commands.send(new StartRestore(new BackupRunId(run.id()), target, name, slug, serviceKeyHash));
            scheduler.schedule(restoreTask.instance(target.value(), request), clock.instant());
            return null;
        });
        scheduler.triggerCheckForDueExecutions();
    }

    /** Sets (or, with a null cron, removes) the project's schedule and its execution in the scheduler. */
    void setSchedule(ProjectView project, String cron, Integer retentionCount) {
        TaskInstanceId instance = TaskInstanceId.of(BackupTasks.SCHEDULE, project.id());
        commands.inOneTransaction(() -> {
            commands.send(new SetBackupSchedule(new ProjectId(project.id()), cron, retentionCount));
            if (scheduler.getScheduledExecution(instance).isPresent()) {
                scheduler.cancel(instance);
            }
            if (cron != null) {
                scheduler.schedule(scheduleTask.schedulableInstance(project.id(),
                        new PlainScheduleAndData(cronSchedule(cron), project.id())));
            }
            return null;
        });
    }

    /** A standard 5-field cron in UTC ({@code 0 3 * * *}); anything else is 400. */
    static CronSchedule cronSchedule(String cron) {
        if (cron.isBlank() || cron.trim().split("\\s+").length != 5) {
            throw BaserDbException.invalid("cron", "must be a 5-field cron expression in UTC such as 0 3 * * *");
        }
        try {
            return new CronSchedule(cron.trim(), ZoneOffset.UTC, CronStyle.UNIX);
        } catch (RuntimeException e) {
            throw BaserDbException.invalid("cron", "is not a valid 5-field cron expression: " + e.getMessage());
        }
    }
}
