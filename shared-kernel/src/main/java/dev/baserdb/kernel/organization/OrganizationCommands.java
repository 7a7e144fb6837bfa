package dev.baserdb.kernel.organization;

import dev.baserdb.kernel.id.InvitationId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;

/**
 * Commands of the {@code Organization} aggregate, which owns its memberships. {@code actor} is the
 * member acting, so the aggregate can apply the rules that depend on the actor's own role.
 * {@code expectedVersion} (nullable) carries {@code If-Match}.
 */
public sealed interface OrganizationCommands {

    OrganizationId organizationId();

    record CreateOrganization(@TargetAggregateIdentifier OrganizationId organizationId, String slug, String name,
                              UserId owner) implements OrganizationCommands {
    }

    record RenameOrganization(@TargetAggregateIdentifier OrganizationId organizationId, String name,
                              @TargetAggregateVersion Long expectedVersion) implements OrganizationCommands {
    }

    record ArchiveOrganization(@TargetAggregateIdentifier OrganizationId organizationId,
                               @TargetAggregateVersion Long expectedVersion) implements OrganizationCommands {
    }

    /**
     * Invites a user (found or newly invited by email) to become a member with a role; nobody
     * becomes a member without accepting. Whether the email had an account is not recorded here:
     * the organization's history is readable by its owners, who must not learn it.
     */
    record InviteMember(@TargetAggregateIdentifier OrganizationId organizationId, InvitationId invitationId,
                        UserId invitee, Role role, UserId actor, Instant expiresAt)
            implements OrganizationCommands {
    }

    /** The invitee accepts: the membership begins. */
    record AcceptMemberInvitation(@TargetAggregateIdentifier OrganizationId organizationId,
                                  InvitationId invitationId, UserId invitee) implements OrganizationCommands {
    }

    /** The invitee declines: no membership, the invitation is closed. */
    record DeclineMemberInvitation(@TargetAggregateIdentifier OrganizationId organizationId,
                                   InvitationId invitationId, UserId invitee) implements OrganizationCommands {
    }

    record ChangeMemberRole(@TargetAggregateIdentifier OrganizationId organizationId, UserId userId, Role role,
                            UserId actor, @TargetAggregateVersion Long expectedVersion) implements OrganizationCommands {
    }

    record RemoveMember(@TargetAggregateIdentifier OrganizationId organizationId, UserId userId, UserId actor,
                        @TargetAggregateVersion Long expectedVersion) implements OrganizationCommands {
    }
}
