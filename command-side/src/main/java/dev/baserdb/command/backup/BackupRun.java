package dev.baserdb.command.backup;

import dev.baserdb.kernel.backup.BackupCommands.CompleteBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.CompleteRestore;
import dev.baserdb.kernel.backup.BackupCommands.DeleteBackupArchive;
import dev.baserdb.kernel.backup.BackupCommands.FailBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.FailRestore;
import dev.baserdb.kernel.backup.BackupCommands.RecordBackupDownload;
import dev.baserdb.kernel.backup.BackupCommands.StartBackupRun;
import dev.baserdb.kernel.backup.BackupCommands.StartRestore;
import dev.baserdb.kernel.backup.BackupEvents.BackupArchiveDeleted;
import dev.baserdb.kernel.backup.BackupEvents.BackupDownloaded;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreFailed;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreStarted;
import dev.baserdb.kernel.backup.BackupEvents.BackupRestoreSucceeded;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunFailed;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunStarted;
import dev.baserdb.kernel.backup.BackupEvents.BackupRunSucceeded;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.BackupRunId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One backup of a project: started at a cut of the event stream, then succeeded (with the archive's
 * size and SHA-256) or failed (with the error). Only a succeeded run whose archive is still kept can
 * be downloaded or restored, one restore at a time. The archive itself is written by the runner; the
 * run only decides what may happen next.
 */
@Aggregate
class BackupRun {

    enum Status { RUNNING, SUCCEEDED, FAILED }

    @AggregateIdentifier
    private BackupRunId runId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private Status status;
    private boolean archiveDeleted;
    private ProjectId restoring;

    BackupRun() {
        // for Axon
    }

    @CommandHandler
    BackupRun(StartBackupRun command) {
        if (command.cutPosition() < 0) {
            throw BaserDbException.invalid("cut.position", "must not be negative");
        }
        apply(new BackupRunStarted(command.runId(), command.projectId(), command.organizationId(),
                command.cutPosition(), command.cutAt(), command.scheduled()));
    }

    @CommandHandler
    void handle(CompleteBackupRun command) {
        requireRunning();
        apply(new BackupRunSucceeded(runId, projectId, organizationId, command.eventCount(), command.sizeBytes(),
                command.sha256()));
    }

    @CommandHandler
    void handle(FailBackupRun command) {
        requireRunning();
        apply(new BackupRunFailed(runId, projectId, organizationId, command.error()));
    }

    @CommandHandler
    void handle(RecordBackupDownload command) {
        requireArchive();
        apply(new BackupDownloaded(runId, projectId, organizationId));
    }

    @CommandHandler
    void handle(StartRestore command) {
        requireArchive();
        if (restoring != null) {
            throw BaserDbException.conflict("A restore of this run is already running");
        }
        apply(new BackupRestoreStarted(runId, projectId, organizationId, command.restoredProjectId(), command.name(),
                command.slug(), command.serviceKeyHash()));
    }

    @CommandHandler
    void handle(CompleteRestore command) {
        requireRestoring(command.restoredProjectId());
        apply(new BackupRestoreSucceeded(runId, projectId, organizationId, command.restoredProjectId(),
                command.eventCount()));
    }

    @CommandHandler
    void handle(FailRestore command) {
        requireRestoring(command.restoredProjectId());
        apply(new BackupRestoreFailed(runId, projectId, organizationId, command.restoredProjectId(), command.error()));
    }

    @CommandHandler
    void handle(DeleteBackupArchive command) {
        if (archiveDeleted) {
            throw BaserDbException.notFound("Backup run");
        }
        if (status == Status.RUNNING || restoring != null) {
            throw BaserDbException.conflict("The run is still in progress");
        }
        apply(new BackupArchiveDeleted(runId, projectId, organizationId));
    }

    private void requireRunning() {
        if (status != Status.RUNNING) {
            throw BaserDbException.conflict("The run has already finished (" + status.name().toLowerCase() + ")");
        }
    }

    private void requireArchive() {
        if (archiveDeleted) {
            throw BaserDbException.notFound("Backup run");
        }
        if (status != Status.SUCCEEDED) {
            throw BaserDbException.conflict("The run has no archive: it is " + status.name().toLowerCase());
        }
    }

    private void requireRestoring(ProjectId restoredProjectId) {
        if (!restoredProjectId.equals(restoring)) {
            throw BaserDbException.conflict("No restore into " + restoredProjectId + " is running");
        }
    }

    @EventSourcingHandler
    void on(BackupRunStarted event) {
        runId = event.runId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        status = Status.RUNNING;
    }

    @EventSourcingHandler
    void on(BackupRunSucceeded event) {
        status = Status.SUCCEEDED;
    }

    @EventSourcingHandler
    void on(BackupRunFailed event) {
        status = Status.FAILED;
    }

    @EventSourcingHandler
    void on(BackupRestoreStarted event) {
        restoring = event.restoredProjectId();
    }

    @EventSourcingHandler
    void on(BackupRestoreSucceeded event) {
        restoring = null;
    }

    @EventSourcingHandler
    void on(BackupRestoreFailed event) {
        restoring = null;
    }

    @EventSourcingHandler
    void on(BackupArchiveDeleted event) {
        archiveDeleted = true;
    }
}
