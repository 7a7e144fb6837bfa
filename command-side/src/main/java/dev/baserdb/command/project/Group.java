package dev.baserdb.command.project;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.project.GroupCommands.CreateGroup;
import dev.baserdb.kernel.project.GroupCommands.DeleteGroup;
import dev.baserdb.kernel.project.GroupCommands.RenameGroup;
import dev.baserdb.kernel.project.GroupEvents;
import dev.baserdb.kernel.project.GroupEvents.GroupCreated;
import dev.baserdb.kernel.project.GroupEvents.GroupDeleted;
import dev.baserdb.kernel.project.GroupEvents.GroupRenamed;
import dev.baserdb.kernel.id.GroupId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A group of tables in a project. The {@code public} group exists in every project and stays.
 * Name uniqueness per project is held by the groups read model's unique index; "no tables left"
 * before a delete is checked by the sender against the tables read model.
 */
@Aggregate
class Group {

    @AggregateIdentifier
    private GroupId groupId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private String name;
    private boolean deleted;

    Group() {
        // for Axon
    }

    @CommandHandler
    Group(CreateGroup command) {
        apply(new GroupCreated(command.groupId(), command.projectId(), command.organizationId(), command.name()));
    }

    @CommandHandler
    void handle(RenameGroup command) {
        requireChangeable("renamed");
        if (GroupEvents.PUBLIC.equals(command.name())) {
            throw BaserDbException.conflict("The name public is taken by the default group");
        }
        if (!command.name().equals(name)) {
            apply(new GroupRenamed(groupId, projectId, organizationId, command.name(), name));
        }
    }

    @CommandHandler
    void handle(DeleteGroup command) {
        requireChangeable("deleted");
        apply(new GroupDeleted(groupId, projectId, organizationId));
    }

    private void requireChangeable(String what) {
        if (deleted) {
            throw BaserDbException.notFound("Group");
        }
        if (GroupEvents.PUBLIC.equals(name)) {
            throw BaserDbException.conflict("The public group cannot be " + what);
        }
    }

    @EventSourcingHandler
    void on(GroupCreated event) {
        groupId = event.groupId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        name = event.name();
    }

    @EventSourcingHandler
    void on(GroupRenamed event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(GroupDeleted event) {
        deleted = true;
    }
}
