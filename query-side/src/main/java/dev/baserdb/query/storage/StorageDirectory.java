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
import static dev.baserdb.kernel.readmodel.StorageTables.Buckets;
import static dev.baserdb.kernel.readmodel.StorageTables.Files;

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
        return db.selectFrom(Buckets.TABLE).where(Buckets.PROJECT_ID.eq(projectId)).and(Buckets.NAME.eq(name))
                .and(Buckets.PERIOD.at(asOf)).fetchOptional().map(StorageDirectory::toBucket);
    }

    public Page<BucketView> bucketsOf(String projectId, Instant asOf, PageRequest page) {
        Condition of = Buckets.PROJECT_ID.eq(projectId).and(Buckets.PERIOD.at(asOf));
        long total = db.fetchCount(Buckets.TABLE, of);
        List<BucketView> items = db.selectFrom(Buckets.TABLE).where(of).orderBy(Buckets.NAME)
                .limit(page.limit()).offset(page.offset()).fetch(StorageDirectory::toBucket);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    public Optional<StoredFileView> findFile(String bucketId, String name, Instant asOf) {
        return db.selectFrom(Files.TABLE).where(Files.BUCKET_ID.eq(bucketId)).and(Files.NAME.eq(name))
                .and(Files.PERIOD.at(asOf)).fetchOptional().map(StorageDirectory::toFile);
    }

    /** The bucket's files at {@code asOf}, by name; {@code prefix} narrows them (null: all). */
    public Page<StoredFileView> filesOf(String bucketId, String prefix, Instant asOf, PageRequest page) {
        Condition of = Files.BUCKET_ID.eq(bucketId).and(Files.PERIOD.at(asOf));
        if (prefix != null && !prefix.isEmpty()) {
            of = of.and(Files.NAME.startsWith(prefix));
        }
        long total = db.fetchCount(Files.TABLE, of);
        List<StoredFileView> items = db.selectFrom(Files.TABLE).where(of).orderBy(Files.NAME)
                .limit(page.limit()).offset(page.offset()).fetch(StorageDirectory::toFile);
        return new Page<>(items, page.limit(), page.offset(), total);
    }

    private static BucketView toBucket(Record r) {
        return new BucketView(r.get(Buckets.ID), r.get(Buckets.PROJECT_ID), r.get(Buckets.ORGANIZATION_ID),
                r.get(Buckets.NAME), r.get(Buckets.IS_PUBLIC), r.get(Buckets.MAX_FILE_SIZE),
                types(r.get(Buckets.ALLOWED_MIME_TYPES)), instant(r.get(Buckets.CREATED_AT)),
                instant(r.get(Buckets.UPDATED_AT)), r.get(Buckets.VERSION));
    }

    private static StoredFileView toFile(Record r) {
        return new StoredFileView(r.get(Files.BUCKET_ID), r.get(Files.NAME), r.get(Files.SIZE), r.get(Files.SHA256),
                r.get(Files.CONTENT_TYPE), instant(r.get(Files.UPLOADED_AT)));
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
