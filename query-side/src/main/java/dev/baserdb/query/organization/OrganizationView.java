package dev.baserdb.query.organization;

import java.time.Instant;

/** An organization as it is (or was, as of an instant). */
public record OrganizationView(String id, String slug, String name, String status, String createdBy,
                               Instant createdAt, Instant updatedAt, Instant archivedAt, long version) {

    public boolean archived() {
        return "archived".equals(status);
    }
}
