package dev.baserdb.api.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * Removes the regular files of one directory last written before an instant: the temporary files of
 * uploads that never finished (the blob store's {@code blobs/tmp/}, the upload spool {@code tmp/}).
 * A file still being written has a recent modification time and stays.
 */
final class OldFiles {

    private OldFiles() {
    }

    static BlobStore.Leftovers remove(Path directory, Instant cutoff) throws IOException {
        long files = 0;
        long bytes = 0;
        if (!Files.isDirectory(directory)) {
            return new BlobStore.Leftovers(0, 0);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(cutoff)
                        && Files.deleteIfExists(entry)) {
                    files++;
                    bytes += attributes.size();
                }
            }
        }
        return new BlobStore.Leftovers(files, bytes);
    }
}
