package dev.baserdb.query.site;

import java.time.Instant;

/**
 * A deploy as read at an instant: its status follows from when it was finalized and first published
 * and from which deploy its site had live at that instant.
 */
public record DeployView(String id, String siteId, String projectId, String organizationId, String label,
                         String status, int files, long sizeBytes, Instant createdAt, Instant publishedAt,
                         String actorType, String actorId) {

    public boolean pending() {
        return "pending".equals(status);
    }
}
