package dev.baserdb.api.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.baserdb.query.storage.BucketView;

import java.time.Instant;
import java.util.List;

/** Response bodies of the storage routes (API.md §11). */
final class StorageResponses {

    private StorageResponses() {
    }

    record BucketBody(String id, String projectId, String name, @JsonProperty("public") boolean isPublic,
                      long maxFileSize, List<String> allowedMimeTypes, Instant createdAt, Instant updatedAt) {

        static BucketBody of(BucketView view) {
            return new BucketBody(view.id(), view.projectId(), view.name(), view.isPublic(), view.maxFileSize(),
                    view.allowedMimeTypes(), view.createdAt(), view.updatedAt());
        }
    }

    record StoredFileBody(String name, String bucket, long size, String sha256, String contentType, String url,
                          Instant uploadedAt) {
    }

    record SignedUrlBody(String url, Instant expiresAt) {
    }
}
