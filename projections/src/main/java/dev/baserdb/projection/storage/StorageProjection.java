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
import static dev.baserdb.kernel.readmodel.schema.Tables.BUCKET_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.STORAGE_FILE_VERSIONS;

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
        values.put(BUCKET_VERSIONS.ID, event.bucketId().value());
        values.put(BUCKET_VERSIONS.PROJECT_ID, event.projectId().value());
        values.put(BUCKET_VERSIONS.ORGANIZATION_ID, event.organizationId().value());
        values.put(BUCKET_VERSIONS.NAME, event.name());
        values.put(BUCKET_VERSIONS.IS_PUBLIC, event.isPublic());
        values.put(BUCKET_VERSIONS.MAX_FILE_SIZE, event.maxFileSize());
        values.put(BUCKET_VERSIONS.ALLOWED_MIME_TYPES, json(event.allowedMimeTypes()));
        values.put(BUCKET_VERSIONS.CREATED_AT, utc(at));
        values.put(BUCKET_VERSIONS.UPDATED_AT, utc(at));
        rows.open(BUCKET_VERSIONS, BUCKET_VERSIONS.PERIOD, bucket(event.bucketId().value()), values,
                BUCKET_VERSIONS.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(BucketUpdated event, @SequenceNumber long version, @Timestamp Instant at) {
        Map<Field<?>, Object> changes = new HashMap<>();
        changes.put(BUCKET_VERSIONS.IS_PUBLIC, event.isPublic());
        changes.put(BUCKET_VERSIONS.MAX_FILE_SIZE, event.maxFileSize());
        changes.put(BUCKET_VERSIONS.ALLOWED_MIME_TYPES, json(event.allowedMimeTypes()));
        changes.put(BUCKET_VERSIONS.UPDATED_AT, utc(at));
        rows.change(BUCKET_VERSIONS, BUCKET_VERSIONS.PERIOD, bucket(event.bucketId().value()), changes,
                BUCKET_VERSIONS.VERSION, version,
                utc(at));
    }

    @EventHandler
    void on(BucketDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(BUCKET_VERSIONS, BUCKET_VERSIONS.PERIOD, bucket(event.bucketId().value()), BUCKET_VERSIONS.VERSION,
                version, utc(at));
        endFiles(STORAGE_FILE_VERSIONS.BUCKET_ID.eq(event.bucketId().value()), utc(at));
    }

    /** A first upload opens the file's row; an overwrite closes the current version and opens the next. */
    @EventHandler
    void on(FileUploaded event, @SequenceNumber long version, @Timestamp Instant at) {
        Condition key = file(event.bucketId().value(), event.name());
        Map<Field<?>, Object> values = new HashMap<>();
        values.put(STORAGE_FILE_VERSIONS.SIZE, event.size());
        values.put(STORAGE_FILE_VERSIONS.SHA256, event.sha256());
        values.put(STORAGE_FILE_VERSIONS.CONTENT_TYPE, event.contentType());
        values.put(STORAGE_FILE_VERSIONS.UPLOADED_AT, utc(at));
        if (db.fetchExists(STORAGE_FILE_VERSIONS, key.and(STORAGE_FILE_VERSIONS.PERIOD.current()))) {
            rows.change(STORAGE_FILE_VERSIONS, STORAGE_FILE_VERSIONS.PERIOD, key, values,
                    STORAGE_FILE_VERSIONS.VERSION, version, utc(at));
            return;
        }
        values.put(STORAGE_FILE_VERSIONS.BUCKET_ID, event.bucketId().value());
        values.put(STORAGE_FILE_VERSIONS.PROJECT_ID, event.projectId().value());
        values.put(STORAGE_FILE_VERSIONS.NAME, event.name());
        rows.open(STORAGE_FILE_VERSIONS, STORAGE_FILE_VERSIONS.PERIOD, key, values, STORAGE_FILE_VERSIONS.VERSION,
                version, utc(at));
    }

    @EventHandler
    void on(FileDeleted event, @SequenceNumber long version, @Timestamp Instant at) {
        rows.end(STORAGE_FILE_VERSIONS, STORAGE_FILE_VERSIONS.PERIOD, file(event.bucketId().value(), event.name()),
                STORAGE_FILE_VERSIONS.VERSION, version,
                utc(at));
    }

    /** A deleted project's buckets and files end with it (the blobs stay for its history). */
    @EventHandler
    void on(ProjectDeleted event, @Timestamp Instant at) {
        String projectId = event.projectId().value();
        db.update(BUCKET_VERSIONS).set(BUCKET_VERSIONS.PERIOD.validTo(), utc(at))
                .where(BUCKET_VERSIONS.PROJECT_ID.eq(projectId)).and(BUCKET_VERSIONS.PERIOD.current()).execute();
        endFiles(STORAGE_FILE_VERSIONS.PROJECT_ID.eq(projectId), utc(at));
    }

    @ResetHandler
    void reset() {
        db.deleteFrom(STORAGE_FILE_VERSIONS).execute();
        db.deleteFrom(BUCKET_VERSIONS).execute();
    }

    private void endFiles(Condition which, OffsetDateTime at) {
        db.update(STORAGE_FILE_VERSIONS).set(STORAGE_FILE_VERSIONS.PERIOD.validTo(),
                at).where(which).and(STORAGE_FILE_VERSIONS.PERIOD.current()).execute();
    }

    private static Condition bucket(String id) {
        return BUCKET_VERSIONS.ID.eq(id);
    }

    private static Condition file(String bucketId, String name) {
        return STORAGE_FILE_VERSIONS.BUCKET_ID.eq(bucketId).and(STORAGE_FILE_VERSIONS.NAME.eq(name));
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
