package dev.baserdb.kernel.organization;

import dev.baserdb.kernel.id.InvitationId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.UserId;
import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Events of the {@code Organization} aggregate and its memberships. */
public sealed interface OrganizationEvents {

    OrganizationId organizationId();

    @Revision("1")
    record OrganizationCreated(OrganizationId organizationId, String slug, String name, UserId createdBy)
            implements OrganizationEvents {
    }

    @Revision("1")
    record OrganizationRenamed(OrganizationId organizationId, String name, String previousName)
            implements OrganizationEvents {
    }

    @Revision("1")
    record OrganizationArchived(OrganizationId organizationId) implements OrganizationEvents {
    }

    /** An invitation to join; the membership begins only with {@link MemberInvitationAccepted}. */
    @Revision("1")
    record MemberInvited(OrganizationId organizationId, InvitationId invitationId, UserId userId, Role role,
                         UserId invitedBy, Instant expiresAt) implements OrganizationEvents {
    }

    /** The invitee accepted; a {@link MemberAdded} follows in the same commit. */
    @Revision("1")
    record MemberInvitationAccepted(OrganizationId organizationId, InvitationId invitationId, UserId userId,
                                    Role role) implements OrganizationEvents {
    }

    @Revision("1")
    record MemberInvitationDeclined(OrganizationId organizationId, InvitationId invitationId, UserId userId,
                                    Role role) implements OrganizationEvents {
    }

    @Revision("1")
    record MemberAdded(OrganizationId organizationId, UserId userId, Role role) implements OrganizationEvents {
    }

    @Revision("1")
    record MemberRoleChanged(OrganizationId organizationId, UserId userId, Role role, Role previousRole)
            implements OrganizationEvents {
    }

    @Revision("1")
    record MemberRemoved(OrganizationId organizationId, UserId userId, Role role) implements OrganizationEvents {
    }
}
