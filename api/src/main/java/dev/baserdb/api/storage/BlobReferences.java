package dev.baserdb.api.storage;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.baserdb.kernel.readmodel.schema.Tables.DEPLOY_FILES;
import static dev.baserdb.kernel.readmodel.schema.Tables.STORAGE_FILE_VERSIONS;


/**
 * Which blobs something can still read: the one question the blob cleanup asks before it deletes.
 * A blob is referenced when any event in the store names it, whatever happened since — an overwritten
 * or deleted file's version (readable {@code as_of} and in history), a file of a deleted bucket or
 * project, every deploy ever made (pending ones whose file was removed again too), and so what any
 * backup archive holds (archives are copies of those events, and events are never deleted).
 *
 * <p>The read models answer first, cheaply ({@code storage_file_versions} keeps every version,
 * {@code deploy_files} every deploy's files); they can only keep a blob, never condemn one, so a
 * read model being rebuilt costs nothing but time. What they do not name is then looked for in the
 * event store itself, conservatively: any event whose payload has a {@code sha256} field anywhere
 * with that value counts, whatever its type, so an event type added later that names blobs is
 * covered without a list to keep up. That pass reads Axon's JDBC table {@code domainevententry}, as
 * backups do ({@code JdbcProjectEventLog}); under the {@code axonserver} profile there is no such
 * table and {@link BlobCleanup} deletes no blob.
 */
@Component
class BlobReferences {

    private static final String IN_EVENTS = "SELECT DISTINCT v #>> '{}' FROM domainevententry e "
            + "CROSS JOIN LATERAL jsonb_path_query(convert_from(e.payload, 'UTF8')::jsonb, 'strict $.**.sha256', "
            + "'{}'::jsonb, true) AS found(v) "
            + "WHERE position('\"sha256\"'::bytea IN e.payload) > 0 AND jsonb_typeof(v) = 'string' "
            + "AND (v #>> '{}') = ANY (?::text[])";

    private final DSLContext db;

    BlobReferences(DSLContext db) {
        this.db = db;
    }

    /** Those of {@code hashes} that a file version or a deploy file of the read models names. */
    Set<String> inReadModels(Collection<String> hashes) {
        Set<String> found = new HashSet<>(db.selectDistinct(STORAGE_FILE_VERSIONS.SHA256).from(STORAGE_FILE_VERSIONS)
                .where(STORAGE_FILE_VERSIONS.SHA256.in(hashes)).fetch(STORAGE_FILE_VERSIONS.SHA256));
        found.addAll(db.selectDistinct(DEPLOY_FILES.SHA256).from(DEPLOY_FILES)
                .where(DEPLOY_FILES.SHA256.in(hashes)).fetch(DEPLOY_FILES.SHA256));
        return found;
    }

    /** Those of {@code hashes} that some event in the store names (one pass over the store). */
    Set<String> inEventStore(Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return Set.of();
        }
        List<String> found = db.fetch(IN_EVENTS, (Object) hashes.toArray(String[]::new)).getValues(0, String.class);
        return new HashSet<>(found);
    }
}
