package dev.baserdb.projection.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.kernel.project.ProjectEvents.ProjectDeleted;
import dev.baserdb.kernel.storage.BucketEvents.BucketCreated;
import dev.baserdb.kernel.storage.BucketEvents.BucketDeleted;
import dev.baserdb.kernel.storage.BucketEvents.BucketUpdated;
import dev.baserdb.kernel.storage.BucketEvents.FileDeleted;
import dev.baserdb.kernel.storage.BucketEvents.FileUploaded;
import dev.baserdb.projection.platform.VersionedRows;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.baserdb.kernel.readmodel.ReadModelTime.utc;
import static dev.baserdb.kernel.readmodel.StorageTables.Buckets;
import static dev.baserdb.kernel.readmodel.StorageTables.Files;

/**
 * Buckets and their files as lists and downloads read them, versioned so a bucket can be listed as
 * of any instant. Inline: an uploaded file is listed and downloadable with the next request, and a
 * duplicate bucket name rolls its command back (unique index on the current versions).
 */
@Component
@ProcessingGroup(StorageProjection.GROUP)
class StorageProjection {

    static final String GROUP = "storage";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext db;
    private final VersionedRows rows;

    StorageProjection(DSLContext db, VersionedRows rows) {
        this.db = db;
        this.rows = rows;
    }

    @EventHandler
    void on(BucketCreated event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<Field<?>, Object> values = new HashMap<>();
        values.put(Buckets.ID, event.bucketId().value());
        values.put(Buckets.PROJECT_ID, event.projectId().value());
        values.put(Buckets.ORGANIZATION_ID, event.organizationId().value());
        values.put(Buckets.NAME, event.name());
        values.put(Buckets.IS_PUBLIC, event.isPublic());
        values.put(Buckets.MAX_FILE_SIZE, event.maxFileSize());
        values.put(Buckets.ALLOWED_MIME_TYPES, json(event.allowedMimeTypes()));
        values.put(Buckets.CREATED_AT, utc(at));
        values.put(Buckets.UPDATED_AT, utc(at));
        rows.open(Buckets.TABLE, Buckets.PERIOD, bucket(event.bucketId().value()), values, Buckets.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(BucketUpdated event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<Field<?>, Object> changes = new HashMap<>();
        changes.put(Buckets.IS_PUBLIC, event.isPublic());
        changes.put(Buckets.MAX_FILE_SIZE, event.maxFileSize());
        changes.put(Buckets.ALLOWED_MIME_TYPES, json(event.allowedMimeTypes()));
        changes.put(Buckets.UPDATED_AT, utc(at));
        rows.change(Buckets.TABLE, Buckets.PERIOD, bucket(event.bucketId().value()), changes, Buckets.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(BucketDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(Buckets.TABLE, Buckets.PERIOD, bucket(event.bucketId().value()), Buckets.VERSION, version, utc(at));
        endFiles(Files.BUCKET_ID.eq(event.bucketId().value()), utc(at));
    }

    /** A first upload opens the file's row; an overwrite closes the current version and opens the next. */
    @EventHandler
    void on(FileUploaded event, @SequenceNumber long version, @Timestamp Instant at) {
        Condition key = file(event.bucketId().value(), event.name());
        Map<Field<?>, Object> values = new HashMap<>();
        values.put(Files.SIZE, event.size());
        values.put(Files.SHA256, event.sha256());
        values.put(Files.CONTENT_TYPE, event.contentType());
        values.put(Files.UPLOADED_AT, utc(at));
        if (db.fetchExists(Files.TABLE, key.and(Files.PERIOD.current()))) {
            rows.change(Files.TABLE, Files.PERIOD, key, values, Files.VERSION, version, utc(at));
            return;
        }
        values.put(Files.BUCKET_ID, event.bucketId().value());
        values.put(Files.PROJECT_ID, event.projectId().value());
        values.put(Files.NAME, event.name());
        rows.open(Files.TABLE, Files.PERIOD, key, values, Files.VERSION, version, utc(at));
    }

    @EventHandler
    void on(FileDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(Files.TABLE, Files.PERIOD, file(event.bucketId().value(), event.name()), Files.VERSION, version,
                utc(at));
    }

    /** A deleted project's buckets and files end with it (the blobs stay for its history). */
    @EventHandler
    void on(ProjectDeleted event, @Timestamp Instant at) {
        String projectId = event.projectId().value();
        db.update(Buckets.TABLE).set(Buckets.PERIOD.validTo(), utc(at))
                .where(Buckets.PROJECT_ID.eq(projectId)).and(Buckets.PERIOD.current()).execute();
        endFiles(Files.PROJECT_ID.eq(projectId), utc(at));
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(Files.TABLE).execute();
        db.deleteFrom(Buckets.TABLE).execute();
    }

    private void endFiles(Condition which, OffsetDateTime at) {
        db.update(Files.TABLE).set(Files.PERIOD.validTo(), at).where(which).and(Files.PERIOD.current()).execute();
    }

    private static Condition bucket(String id) {
        return Buckets.ID.eq(id);
    }

    private static Condition file(String bucketId, String name) {
        return Files.BUCKET_ID.eq(bucketId).and(Files.NAME.eq(name));
    }

    private static String json(List<String> types) {
        if (types == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(types);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
