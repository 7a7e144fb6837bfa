package dev.baserdb.api.storage;

import dev.baserdb.api.platform.BaserDbProperties;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Blobs as files under {@code BASERDB_DATA_DIR/blobs/ab/cd/<sha256>}: received into
 * {@code blobs/tmp/} (same file system) while hashed and counted in 64 KiB steps, then renamed
 * atomically into place. Every node must share the directory, as it shares {@code backups/}.
 *
 * <p>A blob file's modification time is the last time a commit named it (set from the platform clock,
 * also when the bytes were already there): that is what the cleanup job's grace period reads. The
 * cleanup deletes a blob by first renaming it into {@code blobs/trash/} and then reading that time
 * again: a commit that touched it before the rename is seen there and the blob goes back; a commit
 * after the rename finds no blob and stores its own copy. So no commit can lose its bytes to it.
 */
@Component
class FileSystemBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final int BUFFER = 64 * 1024;
    private static final int HEAD = 8 * 1024;
    private static final Pattern SHARD = Pattern.compile("^[0-9a-f]{2}$");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final Path tmp;
    private final Path trash;
    private final Clock clock;

    FileSystemBlobStore(BaserDbProperties properties, Clock clock) {
        this.root = properties.dataDir().resolve("blobs").toAbsolutePath();
        this.tmp = root.resolve("tmp");
        this.trash = root.resolve("trash");
        this.clock = clock;
        try {
            Files.createDirectories(tmp);
            Files.createDirectories(trash);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the blob store in " + root, e);
        }
    }

    @Override
    public PendingBlob receive(InputStream content, long maxBytes) throws IOException {
        // Not Files.createTempFile: its SecureRandom names cost milliseconds each, and a deploy has thousands.
        Path file = tmp.resolve("in-" + unique() + ".part");
        MessageDigest digest = sha256();
        byte[] buffer = new byte[BUFFER];
        byte[] head = new byte[HEAD];
        int headLength = 0;
        long size = 0;
        boolean kept = false;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int n; (n = content.read(buffer)) > 0; ) {
                size += n;
                if (size > maxBytes) {
                    throw new BlobTooLargeException(maxBytes);
                }
                if (headLength < HEAD) {
                    int take = Math.min(n, HEAD - headLength);
                    System.arraycopy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            kept = true;
        } finally {
            if (!kept) {
                Files.deleteIfExists(file);
            }
        }
        return new Pending(file, HexFormat.of().formatHex(digest.digest()), size, Arrays.copyOf(head, headLength));
    }

    @Override
    public boolean exists(String sha256) {
        return SHA256.matcher(sha256).matches() && Files.isRegularFile(pathOf(sha256));
    }

    @Override
    public InputStream open(String sha256, long offset) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Not a SHA-256: " + sha256);
        }
        FileChannel channel = FileChannel.open(pathOf(sha256), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public void forEachBlob(Consumer<StoredBlob> visitor) throws IOException {
        try (DirectoryStream<Path> first = Files.newDirectoryStream(root, FileSystemBlobStore::isShard)) {
            for (Path one : first) {
                try (DirectoryStream<Path> second = Files.newDirectoryStream(one, FileSystemBlobStore::isShard)) {
                    for (Path two : second) {
                        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(two)) {
                            for (Path blob : blobs) {
                                String sha256 = blob.getFileName().toString();
                                if (!SHA256.matcher(sha256).matches() || !pathOf(sha256).equals(blob)) {
                                    continue;
                                }
                                BasicFileAttributes attributes;
                                try {
                                    attributes = Files.readAttributes(blob, BasicFileAttributes.class);
                                } catch (NoSuchFileException gone) {
                                    continue;
                                }
                                if (attributes.isRegularFile()) {
                                    visitor.accept(new StoredBlob(sha256, attributes.size(),
                                            attributes.lastModifiedTime().toInstant()));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public long deleteIfUnnamedSince(String sha256, Instant cutoff) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Not a SHA-256: " + sha256);
        }
        Path target = pathOf(sha256);
        Path parked = trash.resolve(sha256 + "." + unique());
        try {
            Files.move(target, parked, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return -1;
        }
        // Same inode: a commit that touched the blob before the rename shows here.
        BasicFileAttributes attributes = Files.readAttributes(parked, BasicFileAttributes.class);
        if (!attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
            putBack(parked, target);
            return -1;
        }
        Files.delete(parked);
        return attributes.size();
    }

    @Override
    public Leftovers removeLeftovers(Instant cutoff) throws IOException {
        try (DirectoryStream<Path> parked = Files.newDirectoryStream(trash)) {
            for (Path blob : parked) {
                String name = blob.getFileName().toString();
                int dot = name.indexOf('.');
                String sha256 = dot < 0 ? name : name.substring(0, dot);
                if (SHA256.matcher(sha256).matches()) {
                    // An interrupted cleanup: the blob goes back and is judged again like any other.
                    putBack(blob, pathOf(sha256));
                }
            }
        }
        return OldFiles.remove(tmp, cutoff);
    }

    /** Moves a set-aside blob back into place; when a commit stored the same bytes there meanwhile, drops it. */
    private void putBack(Path parked, Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            Files.deleteIfExists(parked);
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(parked, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            // another node's cleanup put it back first
        }
    }

    /**
     * Sets the blob's commit time; false when there is no blob under that name (any more), or when its
     * time cannot be set (a file another user made, on a shared volume): the caller then renames its
     * own copy over it, which gives the blob the new time all the same.
     */
    private static boolean touch(Path target, FileTime at) throws IOException {
        try {
            Files.setLastModifiedTime(target, at);
            return Files.isRegularFile(target);
        } catch (FileSystemException absentOrNotOurs) {
            // NoSuchFileException; EPERM/EACCES when another user owns the file
            return false;
        }
    }

    private static boolean isShard(Path path) {
        return SHARD.matcher(path.getFileName().toString()).matches() && Files.isDirectory(path);
    }

    private static String unique() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + Long.toHexString(SEQUENCE.incrementAndGet());
    }

    private Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Pending implements PendingBlob {

        private final Path file;
        private final String sha256;
        private final long size;
        private final byte[] head;
        private boolean committed;

        Pending(Path file, String sha256, long size, byte[] head) {
            this.file = file;
            this.sha256 = sha256;
            this.size = size;
            this.head = head;
        }

        @Override
        public String sha256() {
            return sha256;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public byte[] head() {
            return head.clone();
        }

        @Override
        public void commit() throws IOException {
            if (committed) {
                return;
            }
            Path target = pathOf(sha256);
            FileTime now = FileTime.from(clock.instant());
            if (touch(target, now)) {
                Files.deleteIfExists(file);
            } else {
                // Absent (or just set aside by the cleanup): this copy becomes the blob (replacing, atomically,
                // one whose time could not be set), its time set first so it is never seen in place with an
                // older one.
                Files.setLastModifiedTime(file, now);
                Files.createDirectories(target.getParent());
                try {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("The blob store needs a file system with atomic renames", e);
                }
            }
            committed = true;
        }

        @Override
        public void close() {
            if (!committed) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover in blobs/tmp is harmless: nothing reads it
                }
            }
        }
    }
}
