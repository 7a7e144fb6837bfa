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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Blobs as files under {@code BASERDB_DATA_DIR/blobs/ab/cd/<sha256>}: received into
 * {@code blobs/tmp/} (same file system) while hashed and counted in 64 KiB steps, then renamed
 * atomically into place. Every node must share the directory, as it shares {@code backups/}.
 */
@Component
class FileSystemBlobStore implements BlobStore {

    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final int BUFFER = 64 * 1024;
    private static final int HEAD = 8 * 1024;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final Path tmp;

    FileSystemBlobStore(BaserDbProperties properties) {
        this.root = properties.dataDir().resolve("blobs").toAbsolutePath();
        this.tmp = root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the blob store in " + root, e);
        }
    }

    @Override
    public PendingBlob receive(InputStream content, long maxBytes) throws IOException {
        // Not Files.createTempFile: its SecureRandom names cost milliseconds each, and a deploy has thousands.
        Path file = tmp.resolve("in-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-"
                + Long.toHexString(SEQUENCE.incrementAndGet()) + ".part");
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
            if (Files.isRegularFile(target)) {
                Files.deleteIfExists(file);
            } else {
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
