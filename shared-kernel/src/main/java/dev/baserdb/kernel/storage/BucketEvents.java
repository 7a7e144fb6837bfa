package dev.baserdb.kernel.storage;

import dev.baserdb.kernel.id.BucketId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.serialization.Revision;

import java.util.List;

/**
 * Events of the {@code Bucket} aggregate: the bucket's settings and its files. A file event names
 * the blob by its SHA-256; an overwrite is a new {@link FileUploaded} and the old blob stays, so the
 * bucket as of any instant can still be listed and read.
 */
public sealed interface BucketEvents {

    BucketId bucketId();

    ProjectId projectId();

    OrganizationId organizationId();

    @Revision("1")
    record BucketCreated(BucketId bucketId, ProjectId projectId, OrganizationId organizationId, String name,
                         boolean isPublic, long maxFileSize, List<String> allowedMimeTypes) implements BucketEvents {
    }

    @Revision("1")
    record BucketUpdated(BucketId bucketId, ProjectId projectId, OrganizationId organizationId, boolean isPublic,
                         long maxFileSize, List<String> allowedMimeTypes) implements BucketEvents {
    }

    @Revision("1")
    record BucketDeleted(BucketId bucketId, ProjectId projectId, OrganizationId organizationId)
            implements BucketEvents {
    }

    @Revision("1")
    record FileUploaded(BucketId bucketId, ProjectId projectId, OrganizationId organizationId, String name,
                        long size, String sha256, String contentType) implements BucketEvents {
    }

    @Revision("1")
    record FileDeleted(BucketId bucketId, ProjectId projectId, OrganizationId organizationId, String name)
            implements BucketEvents {
    }
}
