package dev.baserdb.query.storage;

import java.time.Instant;
import java.util.List;

/** A bucket as read (API.md §11); {@code allowedMimeTypes} null allows every type. */
public record BucketView(String id, String projectId, String organizationId, String name, boolean isPublic,
                         long maxFileSize, List<String> allowedMimeTypes, Instant createdAt, Instant updatedAt,
                         long version) {
}
