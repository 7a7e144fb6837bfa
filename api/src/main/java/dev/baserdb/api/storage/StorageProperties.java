package dev.baserdb.api.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The blob cleanup ({@code baserdb.storage.*}, docs/storage-and-sites.md).
 *
 * @param blobGrace       {@code BASERDB_STORAGE_BLOB_GRACE}: a blob committed (or uploaded again)
 *                        more recently than this is never deleted, nor is an upload's temporary file
 *                        written more recently: it covers an upload that has stored its bytes but
 *                        not yet recorded its event. At least one minute.
 * @param cleanupInterval {@code BASERDB_STORAGE_CLEANUP_INTERVAL}: time from the end of one scheduled
 *                        cleanup to the start of the next (one node runs it); 0 turns the schedule off
 */
@ConfigurationProperties("baserdb.storage")
record StorageProperties(@DefaultValue("1h") Duration blobGrace,
                         @DefaultValue("1d") Duration cleanupInterval) {

    StorageProperties {
        if (blobGrace.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("BASERDB_STORAGE_BLOB_GRACE must be at least 1m (it is " + blobGrace
                    + "): a shorter grace could delete the bytes of an upload still recording its event");
        }
        if (cleanupInterval.isNegative()) {
            throw new IllegalArgumentException("BASERDB_STORAGE_CLEANUP_INTERVAL must not be negative");
        }
    }
}
