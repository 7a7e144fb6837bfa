package dev.baserdb.command.organization;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.id.UserId;
import dev.baserdb.kernel.organization.OrganizationCommands.AcceptMemberInvitation;
import dev.baserdb.kernel.organization.OrganizationCommands.ArchiveOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.ChangeMemberRole;
import dev.baserdb.kernel.organization.OrganizationCommands.CreateOrganization;
import dev.baserdb.kernel.organization.OrganizationCommands.DeclineMemberInvitation;
import dev.baserdb.kernel.organization.OrganizationCommands.InviteMember;
import dev.baserdb.kernel.organization.OrganizationCommands.RemoveMember;
import dev.baserdb.kernel.organization.OrganizationCommands.RenameOrganization;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberAdded;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvitationAccepted;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvitationDeclined;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberInvited;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRemoved;
import dev.baserdb.kernel.organization.OrganizationEvents.MemberRoleChanged;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationArchived;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationCreated;
import dev.baserdb.kernel.organization.OrganizationEvents.OrganizationRenamed;
import dev.baserdb.kernel.id.InvitationId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.organization.Role;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An organization, its memberships and the invitations to join it. It keeps the rules that need
 * the whole membership: an organization always has an owner, only owners make or unmake owners,
 * and nobody becomes a member without accepting an invitation addressed to them. Slug uniqueness
 * is a set rule, held by the unique index of the organizations read model. Time (invitation
 * expiry) is read from Axon's event clock, as in the other aggregates.
 */
@Aggregate
class Organization {

    @AggregateIdentifier
    private OrganizationId organizationId;
    private String name;
    private boolean archived;
    private final Map<UserId, Role> members = new HashMap<>();
    private final Map<InvitationId, Invitation> invitations = new HashMap<>();

    /** An invitation as the aggregate needs it to decide; {@code decision} is null while it is open. */
    private record Invitation(UserId invitee, Role role, Instant expiresAt, String decision) {

        boolean openAt(Instant now) {
            return decision == null && now.isBefore(expiresAt);
        }

        Invitation decided(String how) {
            return new Invitation(invitee, role, expiresAt, how);
        }
    }

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
    void handle(InviteMember command) {
        requireNotArchived();
        if (command.role() == Role.OWNER) {
            requireOwner(command.actor(), "Only owners can invite owners");
        }
        if (members.containsKey(command.invitee())) {
            throw BaserDbException.conflict("The user is already a member");
        }
        Instant now = GenericEventMessage.clock.instant();
        boolean alreadyInvited = invitations.values().stream()
                .anyMatch(open -> open.invitee().equals(command.invitee()) && open.openAt(now));
        if (alreadyInvited) {
            throw BaserDbException.conflict("An invitation for this email is already open");
        }
        apply(new MemberInvited(organizationId, command.invitationId(), command.invitee(), command.role(),
                command.actor(), command.expiresAt()));
    }

    @CommandHandler
    void handle(AcceptMemberInvitation command) {
        Invitation invitation = openInvitation(command.invitationId(), command.invitee());
        if (members.containsKey(command.invitee())) {
            throw BaserDbException.conflict("You are already a member of this organization");
        }
        apply(new MemberInvitationAccepted(organizationId, command.invitationId(), command.invitee(),
                invitation.role()));
        apply(new MemberAdded(organizationId, command.invitee(), invitation.role()));
    }

    @CommandHandler
    void handle(DeclineMemberInvitation command) {
        Invitation invitation = openInvitation(command.invitationId(), command.invitee());
        apply(new MemberInvitationDeclined(organizationId, command.invitationId(), command.invitee(),
                invitation.role()));
    }

    /**
     * The invitation the invitee may still answer. Someone else's invitation is 404, as if it did not
     * exist; an answered or expired one is 409.
     */
    private Invitation openInvitation(InvitationId id, UserId invitee) {
        Invitation invitation = invitations.get(id);
        if (invitation == null || !invitation.invitee().equals(invitee)) {
            throw BaserDbException.notFound("Invitation");
        }
        if (invitation.decision() != null) {
            throw BaserDbException.conflict("The invitation was already " + invitation.decision());
        }
        if (!invitation.openAt(GenericEventMessage.clock.instant())) {
            throw BaserDbException.conflict("The invitation has expired");
        }
        requireNotArchived();
        return invitation;
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
    void on(MemberInvited event) {
        invitations.put(event.invitationId(), new Invitation(event.userId(), event.role(), event.expiresAt(), null));
    }

    @EventSourcingHandler
    void on(MemberInvitationAccepted event) {
        invitations.computeIfPresent(event.invitationId(), (id, invitation) -> invitation.decided("accepted"));
    }

    @EventSourcingHandler
    void on(MemberInvitationDeclined event) {
        invitations.computeIfPresent(event.invitationId(), (id, invitation) -> invitation.decided("declined"));
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
