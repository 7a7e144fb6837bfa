package dev.baserdb.api.storage;

import dev.baserdb.api.platform.BaserDbProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deletes blobs nothing can read any more, and what crashed uploads left behind: the cleanup that
 * requests never do (an overwrite or a delete keeps the old blob for {@code as_of} and history).
 *
 * <p>The rule: a blob is deleted only when (1) no commit named it within the grace period
 * ({@code BASERDB_STORAGE_BLOB_GRACE}, by the blob's modification time, which every commit sets; an
 * upload stores its blob before it records its event, so this is what keeps an upload in flight
 * safe), and (2) no event in the store names it ({@link BlobReferences}). Since events are never
 * deleted, that leaves the orphans of uploads whose command was refused or whose node died between
 * the two steps. Temporary files older than the grace go too: receives into the blob store and the
 * upload spool ({@code BASERDB_DATA_DIR/tmp}, multipart bodies and deploy archives). The deletion itself is
 * safe against a commit of the same bytes racing it ({@link BlobStore#deleteIfUnnamedSince}).
 *
 * <p>One run at a time across all nodes: a PostgreSQL advisory lock held for the run's length; a run
 * that finds it taken does nothing. Scheduled by {@link StorageTasks}, and on demand by a platform
 * admin. Each run logs one line and counts into the {@code baserdb.storage.cleanup.*} metrics.
 */
@Component
public class BlobCleanup {

    private static final Logger log = LoggerFactory.getLogger(BlobCleanup.class);
    /** The advisory lock's key: "blobgc" in ASCII. */
    static final long LOCK = 0x626c6f6267630000L;
    /** Blobs judged at once: one query per read model and at most one pass over the event store each. */
    static final int BATCH = 5000;

    private final BlobStore blobs;
    private final BlobReferences references;
    private final DSLContext db;
    private final Clock clock;
    private final Path uploadDir;
    private final Duration grace;
    private final boolean eventStoreInPostgres;
    private final Counter runs;
    private final Counter blobsDeleted;
    private final Counter bytesFreed;
    private final Counter leftoversRemoved;

    BlobCleanup(BlobStore blobs, BlobReferences references, DSLContext db, Clock clock, StorageProperties settings,
                BaserDbProperties properties, MeterRegistry meters,
                @Value("${axon.axonserver.enabled:false}") boolean axonServer) {
        this.blobs = blobs;
        this.references = references;
        this.db = db;
        this.clock = clock;
        this.uploadDir = properties.uploadDir();
        this.grace = settings.blobGrace();
        this.eventStoreInPostgres = !axonServer;
        this.runs = Counter.builder("baserdb.storage.cleanup.runs").description("Blob cleanups run")
                .register(meters);
        this.blobsDeleted = Counter.builder("baserdb.storage.cleanup.blobs.deleted")
                .description("Unreferenced blobs deleted").register(meters);
        this.bytesFreed = Counter.builder("baserdb.storage.cleanup.freed").baseUnit("bytes")
                .description("Bytes freed by deleting unreferenced blobs and upload leftovers").register(meters);
        this.leftoversRemoved = Counter.builder("baserdb.storage.cleanup.leftovers.removed")
                .description("Temporary files of unfinished uploads removed").register(meters);
    }

    /**
     * What one run found and did. {@code blobsUnverified}: blobs past the grace that the read models do
     * not name and that were kept because the event store could not be searched (Axon Server).
     */
    public record BlobCleanupReport(Instant startedAt, Instant finishedAt, Instant committedBefore, long blobsChecked,
                         long blobsWithinGrace, long blobsReferenced, long blobsUnverified, long blobsDeleted,
                         long blobBytesFreed, long leftoversRemoved, long leftoverBytesFreed) {
    }

    /** Runs the cleanup now, unless a run holds the lock on any node: then empty. */
    public Optional<BlobCleanupReport> runOnce() {
        return db.connectionResult(connection -> {
            if (!advisory(connection, "SELECT pg_try_advisory_lock(?)")) {
                return Optional.empty();
            }
            try {
                return Optional.of(run());
            } finally {
                advisory(connection, "SELECT pg_advisory_unlock(?)");
            }
        });
    }

    private BlobCleanupReport run() {
        long started = System.nanoTime();
        Instant startedAt = clock.instant();
        Instant cutoff = startedAt.minus(grace);
        Tally tally = new Tally();
        try {
            for (BlobStore.Leftovers leftovers : List.of(blobs.removeLeftovers(cutoff), OldFiles.remove(uploadDir, cutoff))) {
                tally.leftovers += leftovers.files();
                tally.leftoverBytes += leftovers.bytes();
            }
            List<BlobStore.StoredBlob> batch = new ArrayList<>();
            blobs.forEachBlob(blob -> {
                tally.checked++;
                if (!blob.committedAt().isBefore(cutoff)) {
                    tally.recent++;
                    return;
                }
                batch.add(blob);
                if (batch.size() == BATCH) {
                    judge(batch, cutoff, tally);
                    batch.clear();
                }
            });
            judge(batch, cutoff, tally);
        } catch (IOException e) {
            throw new UncheckedIOException("The blob cleanup could not read the blob store", e);
        }
        BlobCleanupReport result = new BlobCleanupReport(startedAt, clock.instant(), cutoff, tally.checked,
                tally.recent, tally.referenced, tally.unverified, tally.deleted, tally.bytes, tally.leftovers,
                tally.leftoverBytes);
        runs.increment();
        blobsDeleted.increment(tally.deleted);
        bytesFreed.increment(tally.bytes + tally.leftoverBytes);
        leftoversRemoved.increment(tally.leftovers);
        log.info("Blob cleanup: {} blobs checked, {} within the {} grace, {} referenced, {} unverified; {} unreferenced "
                        + "deleted ({} bytes freed); {} upload leftovers removed ({} bytes) in {} ms",
                tally.checked, tally.recent, grace, tally.referenced, tally.unverified, tally.deleted, tally.bytes,
                tally.leftovers, tally.leftoverBytes, Duration.ofNanos(System.nanoTime() - started).toMillis());
        if (tally.unverified > 0) {
            log.warn("Blob cleanup kept {} blobs no read model names without deleting any: the event store is in "
                    + "Axon Server, which this cleanup cannot search (it needs the JDBC event store)", tally.unverified);
        }
        return result;
    }

    private void judge(List<BlobStore.StoredBlob> batch, Instant cutoff, Tally tally) {
        if (batch.isEmpty()) {
            return;
        }
        Set<String> hashes = batch.stream().map(BlobStore.StoredBlob::sha256).collect(Collectors.toSet());
        Set<String> named = references.inReadModels(hashes);
        List<BlobStore.StoredBlob> rest = batch.stream().filter(blob -> !named.contains(blob.sha256())).toList();
        tally.referenced += batch.size() - rest.size();
        if (rest.isEmpty()) {
            return;
        }
        if (!eventStoreInPostgres) {
            tally.unverified += rest.size();
            return;
        }
        Set<String> inEvents = references.inEventStore(rest.stream().map(BlobStore.StoredBlob::sha256).toList());
        for (BlobStore.StoredBlob blob : rest) {
            if (inEvents.contains(blob.sha256())) {
                tally.referenced++;
                continue;
            }
            long freed;
            try {
                freed = blobs.deleteIfUnnamedSince(blob.sha256(), cutoff);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not delete blob " + blob.sha256(), e);
            }
            if (freed < 0) {
                tally.recent++;
                continue;
            }
            tally.deleted++;
            tally.bytes += freed;
            log.info("Deleted blob {} ({} bytes, last committed {}): no event names it", blob.sha256(), freed,
                    blob.committedAt());
        }
    }

    private static boolean advisory(java.sql.Connection connection, String sql) throws java.sql.SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, LOCK);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static final class Tally {
        long checked;
        long recent;
        long referenced;
        long unverified;
        long deleted;
        long bytes;
        long leftovers;
        long leftoverBytes;
    }
}
