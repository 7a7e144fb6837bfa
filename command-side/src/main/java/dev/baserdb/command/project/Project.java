package dev.baserdb.command.project;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.project.ProjectCommands.CreateProject;
import dev.baserdb.kernel.project.ProjectCommands.DeleteProject;
import dev.baserdb.kernel.project.ProjectCommands.RenameProject;
import dev.baserdb.kernel.project.ProjectCommands.RestoreProjectFromBackup;
import dev.baserdb.kernel.project.ProjectCommands.RestoreProjectToInstant;
import dev.baserdb.kernel.project.ProjectCommands.RotateServiceKey;
import dev.baserdb.kernel.project.ProjectCommands.SetBackupSchedule;
import dev.baserdb.kernel.project.ProjectEvents.ProjectBackupScheduleSet;
import dev.baserdb.kernel.project.ProjectEvents.ProjectCreated;
import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRenamed;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRestoredFromBackup;
import dev.baserdb.kernel.project.ProjectEvents.ProjectRestoredToInstant;
import dev.baserdb.kernel.project.ProjectEvents.ProjectServiceKeyRotated;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** A project in an organization, with its service key (kept as a hash). */
@Aggregate
class Project {

    @AggregateIdentifier
    private ProjectId projectId;
    private OrganizationId organizationId;
    private String name;
    private boolean deleted;

    Project() {
        // for Axon
    }

    @CommandHandler
    Project(CreateProject command) {
        apply(new ProjectCreated(command.projectId(), command.organizationId(), command.name(), command.slug(),
                command.serviceKeyHash()));
    }

    /** A project restored from a backup starts its history with the restore, not with a creation. */
    @CommandHandler
    Project(RestoreProjectFromBackup command) {
        apply(new ProjectRestoredFromBackup(command.projectId(), command.organizationId(), command.name(),
                command.slug(), command.serviceKeyHash(), command.sourceRunId(), command.sourceProjectId()));
    }

    @CommandHandler
    void handle(RestoreProjectToInstant command) {
        requireNotDeleted();
        apply(new ProjectRestoredToInstant(projectId, organizationId, command.asOf()));
    }

    @CommandHandler
    void handle(SetBackupSchedule command) {
        requireNotDeleted();
        if (command.cron() != null && (command.retentionCount() == null || command.retentionCount() < 1)) {
            throw BaserDbException.invalid("retention_count", "must be at least 1");
        }
        apply(new ProjectBackupScheduleSet(projectId, organizationId, command.cron(),
                command.cron() == null ? null : command.retentionCount()));
    }

    @CommandHandler
    void handle(RenameProject command) {
        requireNotDeleted();
        if (!command.name().equals(name)) {
            apply(new ProjectRenamed(projectId, organizationId, command.name(), name));
        }
    }

    @CommandHandler
    void handle(DeleteProject command) {
        requireNotDeleted();
        apply(new ProjectDeleted(projectId, organizationId));
    }

    @CommandHandler
    void handle(RotateServiceKey command) {
        requireNotDeleted();
        apply(new ProjectServiceKeyRotated(projectId, organizationId, command.serviceKeyHash()));
    }

    private void requireNotDeleted() {
        if (deleted) {
            throw BaserDbException.notFound("Project");
        }
    }

    @EventSourcingHandler
    void on(ProjectCreated event) {
        projectId = event.projectId();
        organizationId = event.organizationId();
        name = event.name();
    }

    @EventSourcingHandler
    void on(ProjectRestoredFromBackup event) {
        projectId = event.projectId();
        organizationId = event.organizationId();
        name = event.name();
    }

    @EventSourcingHandler
    void on(ProjectRenamed event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(ProjectDeleted event) {
        deleted = true;
    }
}
