package dev.baserdb.api.organization;

import io.swagger.v3.oas.annotations.media.Schema;
import dev.baserdb.query.identity.UserView;
import dev.baserdb.query.organization.InvitationView;
import dev.baserdb.query.organization.MemberView;
import dev.baserdb.query.organization.OrganizationView;

import java.time.Instant;

/** Response bodies of the organization and member routes (API.md §4). */
final class OrganizationResponses {

    private OrganizationResponses() {
    }

    record Organization(String id, String slug, String name, String status, String createdBy, Instant createdAt,
                        Instant updatedAt, Instant archivedAt) {

        static Organization of(OrganizationView view) {
            return new Organization(view.id(), view.slug(), view.name(), view.status(), view.createdBy(),
                    view.createdAt(), view.updatedAt(), view.archivedAt());
        }
    }

    record Member(String organizationId, String userId, String email, String displayName, String status,
                  @Schema(allowableValues = {"owner", "admin", "developer", "auditor", "viewer"}) String role, Instant joinedAt) {

        static Member of(MemberView view) {
            return new Member(view.organizationId(), view.userId(), view.email(), view.displayName(), view.status(),
                    view.role(), view.joinedAt());
        }
    }

    record InvitedUser(String id, String email, String displayName, String locale, String status, String organizationId,
                       String role, Instant createdAt) {

        static InvitedUser of(UserView user, String organizationId, String role) {
            return new InvitedUser(user.id(), user.email(), user.displayName(), user.locale(), user.status(),
                    organizationId, role, user.createdAt());
        }
    }

    /** What inviting answers, the same whether or not the email had an account. */
    record InvitationReceipt(String invitationId, String status) {

        static InvitationReceipt invited(String invitationId) {
            return new InvitationReceipt(invitationId, "invited");
        }
    }

    /** An invitation as its invitee sees it; {@code status} is pending, accepted, declined or expired. */
    record Invitation(String id, String organizationId, String organizationName, String role, String status,
                      String invitedBy, Instant createdAt, Instant expiresAt, Instant decidedAt) {

        static Invitation of(InvitationView view, Instant now) {
            String status = "pending".equals(view.status()) && !view.openAt(now) ? "expired" : view.status();
            return new Invitation(view.id(), view.organizationId(), view.organizationName(), view.role(), status,
                    view.invitedBy(), view.createdAt(), view.expiresAt(), view.decidedAt());
        }
    }
}
