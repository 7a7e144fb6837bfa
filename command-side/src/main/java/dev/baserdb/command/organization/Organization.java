package dev.baserdb.command.organization;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.organization.OrganizationCommands.AddMember;
import dev.baserdb.kernel.organization.OrganizationCommands.ArchiveOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.ChangeMemberRole;
import dev.baserdb.kernel.organization.OrganizationCommands.CreateOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.RemoveMember;
import dev.baserdb.kernel.organization.OrganizationCommands.RenameOrganization;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberAdded;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRemoved;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRoleChanged;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationArchived;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationCreated;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationRenamed;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.organization.Role;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An organization and its memberships. It keeps the rules that need the whole membership: an
 * organization always has an owner, and only owners make or unmake owners. Slug uniqueness is a
 * set rule, held by the unique index of the organizations read model.
 */
@Aggregate
class Organization {

    @AggregateIdentifier
    private OrganizationId organizationId;
    private String name;
    private boolean archived;
    private final Map<UserId, Role> members = new HashMap<>();

    Organization() {
        // for Axon
    }

    @CommandHandler
    Organization(CreateOrganization command) {
        apply(new OrganizationCreated(command.organizationId(), command.slug(), command.name(), command.owner()));
        apply(new MemberAdded(command.organizationId(), command.owner(), Role.OWNER));
    }

    @CommandHandler
    void handle(RenameOrganization command) {
        requireNotArchived();
        if (!command.name().equals(name)) {
            apply(new OrganizationRenamed(organizationId, command.name(), name));
        }
    }

    @CommandHandler
    void handle(ArchiveOrganization command) {
        requireNotArchived();
        apply(new OrganizationArchived(organizationId));
    }

    @CommandHandler
    void handle(AddMember command) {
        requireNotArchived();
        if (members.containsKey(command.userId())) {
            throw BaserDbException.conflict("The user is already a member");
        }
        if (command.role() == Role.OWNER) {
            requireOwner(command.actor(), "Only owners can add owners");
        }
        apply(new MemberAdded(organizationId, command.userId(), command.role()));
    }

    @CommandHandler
    void handle(ChangeMemberRole command) {
        requireNotArchived();
        Role current = memberRole(command.userId());
        if (current == command.role()) {
            return;
        }
        if (current == Role.OWNER || command.role() == Role.OWNER) {
            requireOwner(command.actor(), "Only owners can grant or take the owner role");
        }
        if (current == Role.OWNER && owners() == 1) {
            throw BaserDbException.conflict("The last owner cannot be demoted");
        }
        apply(new MemberRoleChanged(organizationId, command.userId(), command.role(), current));
    }

    @CommandHandler
    void handle(RemoveMember command) {
        requireNotArchived();
        Role current = memberRole(command.userId());
        if (current == Role.OWNER) {
            requireOwner(command.actor(), "Only owners can remove owners");
            if (owners() == 1) {
                throw BaserDbException.conflict("The last owner cannot be removed");
            }
        }
        apply(new MemberRemoved(organizationId, command.userId(), current));
    }

    private Role memberRole(UserId userId) {
        Role role = members.get(userId);
        if (role == null) {
            throw BaserDbException.notFound("Member");
        }
        return role;
    }

    private void requireOwner(UserId actor, String message) {
        if (members.get(actor) != Role.OWNER) {
            throw BaserDbException.forbidden(message);
        }
    }

    private long owners() {
        return members.values().stream().filter(role -> role == Role.OWNER).count();
    }

    private void requireNotArchived() {
        if (archived) {
            throw BaserDbException.conflict("The organization is archived");
        }
    }

    @EventSourcingHandler
    void on(OrganizationCreated event) {
        organizationId = event.organizationId();
        name = event.name();
    }

    @EventSourcingHandler
    void on(OrganizationRenamed event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(OrganizationArchived event) {
        archived = true;
    }

    @EventSourcingHandler
    void on(MemberAdded event) {
        members.put(event.userId(), event.role());
    }

    @EventSourcingHandler
    void on(MemberRoleChanged event) {
        members.put(event.userId(), event.role());
    }

    @EventSourcingHandler
    void on(MemberRemoved event) {
        members.remove(event.userId());
    }
}
