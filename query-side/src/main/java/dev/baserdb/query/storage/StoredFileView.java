package dev.baserdb.query.storage;

import java.time.Instant;

/** A file of a bucket as read: the blob holding its bytes is named by {@code sha256}. */
public record StoredFileView(String bucketId, String name, long size, String sha256, String contentType,
                             Instant uploadedAt) {
}
