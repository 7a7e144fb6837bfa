package dev.baserdb.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The storage port: immutable blobs addressed by their SHA-256. Bytes are received as a stream,
 * hashed and counted while they are written to a place nobody reads, and become visible only on
 * {@link PendingBlob#commit()}; a blob is written once whatever how many files name it. The
 * file-system store ({@link FileSystemBlobStore}) is the one there is; an S3-compatible store
 * implements the same port (a multipart upload to a staging key, then a copy to the content key).
 */
public interface BlobStore {

    /**
     * Reads {@code content} to its end into a pending blob, never more than {@code maxBytes}: one
     * byte more and {@link BlobTooLargeException} is thrown with nothing kept.
     */
    PendingBlob receive(InputStream content, long maxBytes) throws IOException;

    /** Whether the blob is there. */
    boolean exists(String sha256);

    /** The blob's bytes from {@code offset} on (the caller reads as many as it needs). */
    InputStream open(String sha256, long offset) throws IOException;

    /**
     * Every visible blob with its size and the last time a commit named it (the cleanup job's view;
     * see {@link BlobCleanup}). The blobs are visited in no particular order.
     */
    void forEachBlob(Consumer<StoredBlob> visitor) throws IOException;

    /**
     * Deletes the blob unless a commit named it at or after {@code cutoff}, also one that races this
     * call: a commit that comes first keeps the blob, one that comes after stores it again. Answers the
     * bytes freed, or -1 when the blob was kept (or is not there).
     */
    long deleteIfUnnamedSince(String sha256, Instant cutoff) throws IOException;

    /**
     * Removes what receives that never finished left behind (a crash mid-upload) when it was last
     * written before {@code cutoff}, and puts back a blob a cleanup interrupted halfway had set aside.
     */
    Leftovers removeLeftovers(Instant cutoff) throws IOException;

    /** A visible blob: {@code committedAt} is the last time a commit named it (a new upload of the same bytes too). */
    record StoredBlob(String sha256, long size, Instant committedAt) {
    }

    /** What {@link #removeLeftovers} removed. */
    record Leftovers(long files, long bytes) {
    }

    /** A blob received but not yet visible: its hash, size and first bytes are known. */
    interface PendingBlob extends AutoCloseable {

        String sha256();

        long size();

        /** The first bytes (up to a few KiB), for sniffing the content type and refusing programs. */
        byte[] head();

        /**
         * Makes the blob visible under its hash (when the same bytes are already stored, they stay and
         * only their commit time moves on), and records now as the last time a commit named it.
         */
        void commit() throws IOException;

        /** Forgets the pending bytes unless committed. */
        @Override
        void close();
    }

    /** The stream went past the limit it was received with. */
    final class BlobTooLargeException extends IOException {

        private final long limit;

        public BlobTooLargeException(long limit) {
            super("More than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
