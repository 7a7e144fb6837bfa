package dev.baserdb.query.organization;

import java.time.Instant;

/**
 * An invitation to join an organization: who is invited with which role, by whom, and how it was
 * answered ({@code pending}, {@code accepted}, {@code declined}).
 */
public record InvitationView(String id, String organizationId, String organizationName, String userId, String role,
                             String invitedBy, String status, Instant createdAt,
                             Instant expiresAt, Instant decidedAt) {

    /** Open for an answer at {@code now}: pending and not yet expired. */
    public boolean openAt(Instant now) {
        return "pending".equals(status) && now.isBefore(expiresAt);
    }
}
