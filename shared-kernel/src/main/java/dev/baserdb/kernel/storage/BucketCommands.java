package dev.baserdb.kernel.storage;

import dev.baserdb.kernel.id.BucketId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.List;

/**
 * Commands of the {@code Bucket} aggregate (API.md §11). A file's bytes are already in the blob store
 * when {@link UploadFile} is sent: the command carries what was measured of them (size, SHA-256, the
 * content type sniffed from the bytes), never the bytes.
 */
public sealed interface BucketCommands {

    BucketId bucketId();

    record CreateBucket(@TargetAggregateIdentifier BucketId bucketId, ProjectId projectId,
                        OrganizationId organizationId, String name, boolean isPublic, long maxFileSize,
                        List<String> allowedMimeTypes) implements BucketCommands {
    }

    /** The bucket's settings as they are to be (the API fills in what the request left out). */
    record UpdateBucket(@TargetAggregateIdentifier BucketId bucketId, boolean isPublic, long maxFileSize,
                        List<String> allowedMimeTypes, @TargetAggregateVersion Long expectedVersion)
            implements BucketCommands {
    }

    record DeleteBucket(@TargetAggregateIdentifier BucketId bucketId, @TargetAggregateVersion Long expectedVersion)
            implements BucketCommands {
    }

    record UploadFile(@TargetAggregateIdentifier BucketId bucketId, String name, long size, String sha256,
                      String contentType) implements BucketCommands {
    }

    record DeleteFile(@TargetAggregateIdentifier BucketId bucketId, String name) implements BucketCommands {
    }
}
