package dev.baserdb.kernel.organization;

import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

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

    record AddMember(@TargetAggregateIdentifier OrganizationId organizationId, UserId userId, Role role,
                     UserId actor) implements OrganizationCommands {
    }

    record ChangeMemberRole(@TargetAggregateIdentifier OrganizationId organizationId, UserId userId, Role role,
                            UserId actor, @TargetAggregateVersion Long expectedVersion) implements OrganizationCommands {
    }

    record RemoveMember(@TargetAggregateIdentifier OrganizationId organizationId, UserId userId, UserId actor,
                        @TargetAggregateVersion Long expectedVersion) implements OrganizationCommands {
    }
}
