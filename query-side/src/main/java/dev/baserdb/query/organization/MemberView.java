package dev.baserdb.query.organization;

import java.time.Instant;

/** A membership: who, with which role, since when. Email and display name are the user's current ones. */
public record MemberView(String organizationId, String userId, String email, String displayName, String status,
                         String role, Instant joinedAt) {
}
