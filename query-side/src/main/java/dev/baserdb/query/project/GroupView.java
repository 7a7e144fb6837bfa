package dev.baserdb.query.project;

import java.time.Instant;

/** A group of tables in a project, as it is (or was, as of an instant). */
public record GroupView(String id, String projectId, String organizationId, String name, Instant createdAt,
                        Instant updatedAt, long version) {
}
