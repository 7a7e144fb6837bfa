package dev.baserdb.command.storage;

import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.error.ErrorCode;
import dev.baserdb.kernel.id.BucketId;
import dev.baserdb.kernel.id.OrganizationId;
import dev.baserdb.kernel.id.ProjectId;
import dev.baserdb.kernel.storage.BucketCommands.CreateBucket;
import dev.baserdb.kernel.storage.BucketCommands.DeleteBucket;
import dev.baserdb.kernel.storage.BucketCommands.DeleteFile;
import dev.baserdb.kernel.storage.BucketCommands.UpdateBucket;
import dev.baserdb.kernel.storage.BucketCommands.UploadFile;
import dev.baserdb.kernel.storage.BucketEvents.BucketCreated;
import dev.baserdb.kernel.storage.BucketEvents.BucketDeleted;
import dev.baserdb.kernel.storage.BucketEvents.BucketUpdated;
import dev.baserdb.kernel.storage.BucketEvents.FileDeleted;
import dev.baserdb.kernel.storage.BucketEvents.FileUploaded;
import dev.baserdb.kernel.storage.ObjectNames;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A storage bucket of a project and the names of its files. It decides every upload from what was
 * measured of the bytes (size, sniffed type) against its own settings, and every delete against
 * the files it holds; the bytes themselves never pass through it.
 */
@Aggregate
class Bucket {

    @AggregateIdentifier
    private BucketId bucketId;
    private ProjectId projectId;
    private OrganizationId organizationId;
    private long maxFileSize;
    private List<String> allowedMimeTypes;
    private final Set<String> files = new HashSet<>();
    private boolean deleted;

    Bucket() {
        // for Axon
    }

    @CommandHandler
    Bucket(CreateBucket command) {
        requireSettings(command.maxFileSize());
        if (command.name() == null || !ObjectNames.BUCKET_NAME.matcher(command.name()).matches()) {
            throw BaserDbException.invalid("name", "must match " + ObjectNames.BUCKET_NAME.pattern());
        }
        apply(new BucketCreated(command.bucketId(), command.projectId(), command.organizationId(), command.name(),
                command.isPublic(), command.maxFileSize(), copy(command.allowedMimeTypes())));
    }

    @CommandHandler
    void handle(UpdateBucket command) {
        requireExists();
        requireSettings(command.maxFileSize());
        apply(new BucketUpdated(bucketId, projectId, organizationId, command.isPublic(), command.maxFileSize(),
                copy(command.allowedMimeTypes())));
    }

    @CommandHandler
    void handle(DeleteBucket command) {
        requireExists();
        apply(new BucketDeleted(bucketId, projectId, organizationId));
    }

    @CommandHandler
    void handle(UploadFile command) {
        requireExists();
        String problem = ObjectNames.problem(command.name());
        if (problem != null) {
            throw BaserDbException.invalid("name", problem);
        }
        if (ObjectNames.blocked(command.name())) {
            throw new BaserDbException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Files named like this are not accepted",
                    Map.of("name", "must not end with " + String.join(" ", ObjectNames.BLOCKED_EXTENSIONS)));
        }
        if (command.size() > maxFileSize) {
            throw new BaserDbException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The file is larger than the bucket's max_file_size of " + maxFileSize + " bytes");
        }
        if (!ObjectNames.allowed(command.contentType(), allowedMimeTypes)) {
            throw new BaserDbException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The file's content type (" + command.contentType() + ") is not allowed in this bucket");
        }
        apply(new FileUploaded(bucketId, projectId, organizationId, command.name(), command.size(), command.sha256(),
                command.contentType()));
    }

    @CommandHandler
    void handle(DeleteFile command) {
        requireExists();
        if (!files.contains(command.name())) {
            throw BaserDbException.notFound("File");
        }
        apply(new FileDeleted(bucketId, projectId, organizationId, command.name()));
    }

    private void requireExists() {
        if (deleted) {
            throw BaserDbException.notFound("Bucket");
        }
    }

    private static void requireSettings(long maxFileSize) {
        if (maxFileSize < 1 || maxFileSize > ObjectNames.DEFAULT_MAX_FILE_SIZE) {
            throw BaserDbException.invalid("max_file_size", "must be between 1 and " + ObjectNames.DEFAULT_MAX_FILE_SIZE);
        }
    }

    private static List<String> copy(List<String> types) {
        return types == null || types.isEmpty() ? null : List.copyOf(types);
    }

    @EventSourcingHandler
    void on(BucketCreated event) {
        bucketId = event.bucketId();
        projectId = event.projectId();
        organizationId = event.organizationId();
        maxFileSize = event.maxFileSize();
        allowedMimeTypes = event.allowedMimeTypes();
    }

    @EventSourcingHandler
    void on(BucketUpdated event) {
        maxFileSize = event.maxFileSize();
        allowedMimeTypes = event.allowedMimeTypes();
    }

    @EventSourcingHandler
    void on(BucketDeleted event) {
        deleted = true;
    }

    @EventSourcingHandler
    void on(FileUploaded event) {
        files.add(event.name());
    }

    @EventSourcingHandler
    void on(FileDeleted event) {
        files.remove(event.name());
    }
}
