package dev.baserdb.api.backup;

import dev.baserdb.api.platform.Commands;
import dev.baserdb.api.platform.RequestContext;
import dev.baserdb.kernel.backup.BackupCommands.CompleteBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.FailBackupRun;
import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.query.backup.BackupDirectory;
import dev.baserdb.query.backup.BackupRunView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Executes a backup run (on a scheduler thread, see {@link BackupTasks}): waits for appends still in
 * flight below the cut, streams the project's events up to the cut into the archive, then records the
 * run as succeeded (size, SHA-256, count) or failed (the error). A run found already finished — a
 * scheduler retry after a crash that came after the outcome was recorded — is left alone.
 */
@Component
class BackupRunner {

    private static final Logger log = LoggerFactory.getLogger(BackupRunner.class);
    /** How long a run waits for transactions that may still append below its cut. */
    private static final Duration IN_FLIGHT_PATIENCE = Duration.ofSeconds(10);

    private final BackupDirectory runs;
    private final ProjectEventLog events;
    private final BackupArchives archives;
    private final Commands commands;
    private final BackupRetention retention;

    BackupRunner(BackupDirectory runs, ProjectEventLog events, BackupArchives archives, Commands commands,
                 BackupRetention retention) {
        this.runs = runs;
        this.events = events;
        this.archives = archives;
        this.commands = commands;
        this.retention = retention;
    }

    void run(String runId) {
        BackupRunView run = runs.find(runId).orElse(null);
        if (run == null || !run.running()) {
            return;
        }
        RequestContext context = new RequestContext("backup-" + runId, null, null,
                run.startedByType() == null ? "system" : run.startedByType(),
                run.startedById() == null ? "baserdb" : run.startedById());
        context.impersonator(run.startedByImpersonatorId());
        RequestContext.set(context);
        try {
            Path archive = archives.of(run.projectId(), run.id());
            BackupArchive.Written written;
            try {
                events.awaitInFlightAppends(IN_FLIGHT_PATIENCE);
                written = BackupArchive.write(archive,
                        new BackupArchive.Cut(run.id(), run.projectId(), run.organizationId(), run.cutPosition(),
                                run.cutAt()),
                        consumer -> events.forEach(run.projectId(), run.cutPosition(), run.cutAt(), consumer));
            } catch (Exception e) {
                log.warn("Backup run {} of project {} failed", runId, run.projectId(), e);
                written = null;
                commands.send(new FailBackupRun(new BackupRunId(runId), describe(e)));
            }
            if (written != null) {
                commands.send(new CompleteBackupRun(new BackupRunId(runId), written.eventCount(),
                        written.sizeBytes(), written.sha256()));
            }
            if (run.scheduled()) {
                retention.apply(run.projectId());
            }
        } finally {
            RequestContext.clear();
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
