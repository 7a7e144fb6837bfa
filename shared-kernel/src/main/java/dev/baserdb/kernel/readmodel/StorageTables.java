package dev.baserdb.kernel.readmodel;

import dev.baserdb.kernel.readmodel.TenancyTables.Period;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.time.OffsetDateTime;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The storage read models (buckets, files) as jOOQ names. DDL: {@code V7_0__storage_and_sites.sql}. */
public final class StorageTables {

    private StorageTables() {
    }

    public static final class Buckets {
        public static final Table<Record> TABLE = table(name("bucket_versions"));
        public static final Field<String> ID = field(name("bucket_versions", "id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("bucket_versions", "project_id"), String.class);
        public static final Field<String> ORGANIZATION_ID = field(name("bucket_versions", "organization_id"), String.class);
        public static final Field<String> NAME = field(name("bucket_versions", "name"), String.class);
        public static final Field<Boolean> IS_PUBLIC = field(name("bucket_versions", "is_public"), Boolean.class);
        public static final Field<Long> MAX_FILE_SIZE = field(name("bucket_versions", "max_file_size"), Long.class);
        /** JSON array of content types, or null for all. */
        public static final Field<String> ALLOWED_MIME_TYPES = field(name("bucket_versions", "allowed_mime_types"), String.class);
        public static final Field<OffsetDateTime> CREATED_AT = field(name("bucket_versions", "created_at"), OffsetDateTime.class);
        public static final Field<OffsetDateTime> UPDATED_AT = field(name("bucket_versions", "updated_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("bucket_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("bucket_versions", "valid_from"), OffsetDateTime.class),
                field(name("bucket_versions", "valid_to"), OffsetDateTime.class));

        private Buckets() {
        }
    }

    public static final class Files {
        public static final Table<Record> TABLE = table(name("storage_file_versions"));
        public static final Field<String> BUCKET_ID = field(name("storage_file_versions", "bucket_id"), String.class);
        public static final Field<String> PROJECT_ID = field(name("storage_file_versions", "project_id"), String.class);
        public static final Field<String> NAME = field(name("storage_file_versions", "name"), String.class);
        public static final Field<Long> SIZE = field(name("storage_file_versions", "size"), Long.class);
        public static final Field<String> SHA256 = field(name("storage_file_versions", "sha256"), String.class);
        public static final Field<String> CONTENT_TYPE = field(name("storage_file_versions", "content_type"), String.class);
        public static final Field<OffsetDateTime> UPLOADED_AT = field(name("storage_file_versions", "uploaded_at"), OffsetDateTime.class);
        public static final Field<Long> VERSION = field(name("storage_file_versions", "version"), Long.class);
        public static final Period PERIOD = new Period(
                field(name("storage_file_versions", "valid_from"), OffsetDateTime.class),
                field(name("storage_file_versions", "valid_to"), OffsetDateTime.class));

        private Files() {
        }
    }
}
