package dev.baserdb.query.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baserdb.query.platform.Page;
import dev.baserdb.query.platform.PageRequest;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.baserdb.kernel.readmodel.ReadModelTime.instant;
import static dev.baserdb.kernel.readmodel.schema.Tables.BUCKET_VERSIONS;
import static dev.baserdb.kernel.readmodel.schema.Tables.STORAGE_FILE_VERSIONS;

/** Reads buckets and their files, now or as of an instant; every read names its project or bucket. */
@Service
public class StorageDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext db;

    public StorageDirectory(DSLContext db) {
        this.db = db;
    }

    /** The project's bucket of that name at {@code asOf} ({@code null}: now). */
    public Optional<BucketView> findBucket(String projectId, String name, Instant asOf) {
        return db.selectFrom(BUCKET_VERSIONS).where(BUCKET_VERSIONS.PROJECT_ID.eq(projectId)).and(BUCKET_VERSIONS.NAME.eq(name))
                .and(BUCKET_VERSIONS.PERIOD.at(asOf)).fetchOptional().map(StorageDirectory::toBucket);
    }

    public Page<BucketView> bucketsOf(String projectId, Instant asOf, PageRequest page) {
        Condition of = BUCKET_VERSIONS.PROJECT_ID.eq(projectId).and(BUCKET_VERSIONS.PERIOD.at(asOf));
        long total = db.fetchCount(BUCKET_VERSIONS, of);
        List<BucketView> items = db.selectFrom(BUCKET_VERSIONS).where(of).orderBy(BUCKET_VERSIONS.NAME)
                .limit(page.limit()).offset(page.offset()).fetch(StorageDirectory::toBucket);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public Optional<StoredFileView> findFile(String bucketId, String name, Instant asOf) {
        return db.selectFrom(STORAGE_FILE_VERSIONS).where(STORAGE_FILE_VERSIONS.BUCKET_ID.eq(bucketId))
                .and(STORAGE_FILE_VERSIONS.NAME.eq(name))
                .and(STORAGE_FILE_VERSIONS.PERIOD.at(asOf)).fetchOptional().map(StorageDirectory::toFile);
    }

    /** The bucket's files at {@code asOf}, by name; {@code prefix} narrows them (null: all). */
    public Page<StoredFileView> filesOf(String bucketId, String prefix, Instant asOf, PageRequest page) {
        Condition of = STORAGE_FILE_VERSIONS.BUCKET_ID.eq(bucketId).and(STORAGE_FILE_VERSIONS.PERIOD.at(asOf));
        if (prefix != null && !prefix.isEmpty()) {
            of = of.and(STORAGE_FILE_VERSIONS.NAME.startsWith(prefix));
        }
        long total = db.fetchCount(STORAGE_FILE_VERSIONS, of);
        List<StoredFileView> items = db.selectFrom(STORAGE_FILE_VERSIONS).where(of).orderBy(STORAGE_FILE_VERSIONS.NAME)
                .limit(page.limit()).offset(page.offset()).fetch(StorageDirectory::toFile);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    private static BucketView toBucket(Record r) {
        return new BucketView(r.get(BUCKET_VERSIONS.ID), r.get(BUCKET_VERSIONS.PROJECT_ID),
                r.get(BUCKET_VERSIONS.ORGANIZATION_ID),
                r.get(BUCKET_VERSIONS.NAME), r.get(BUCKET_VERSIONS.IS_PUBLIC), r.get(BUCKET_VERSIONS.MAX_FILE_SIZE),
                types(r.get(BUCKET_VERSIONS.ALLOWED_MIME_TYPES)), instant(r.get(BUCKET_VERSIONS.CREATED_AT)),
                instant(r.get(BUCKET_VERSIONS.UPDATED_AT)), r.get(BUCKET_VERSIONS.VERSION));
    }

    private static StoredFileView toFile(Record r) {
        return new StoredFileView(r.get(STORAGE_FILE_VERSIONS.BUCKET_ID), r.get(STORAGE_FILE_VERSIONS.NAME),
                r.get(STORAGE_FILE_VERSIONS.SIZE), r.get(STORAGE_FILE_VERSIONS.SHA256),
                r.get(STORAGE_FILE_VERSIONS.CONTENT_TYPE), instant(r.get(STORAGE_FILE_VERSIONS.UPLOADED_AT)));
    }

    private static List<String> types(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable allowed_mime_types", e);
        }
    }
}
