package dev.baserdb.query.project;

import java.time.Instant;

/** A project as it is (or was, as of an instant). The service key itself is never stored. */
public record ProjectView(String id, String organizationId, String name, String slug, Instant createdAt,
                          Instant updatedAt, long version) {
}
