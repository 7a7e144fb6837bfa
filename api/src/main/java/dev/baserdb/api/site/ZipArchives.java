package dev.baserdb.api.site;

import dev.baserdb.api.storage.BlobStore;
import dev.baserdb.api.storage.ContentTypes;
import dev.baserdb.kernel.error.BaserDbException;
import dev.baserdb.kernel.site.DeployFile;
import dev.baserdb.kernel.site.SitePaths;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens a deploy archive and refuses it whole, naming the first bad entry (400), before any of its
 * files becomes visible: more than 50 MB or 10,000 entries; names with {@code ..}, a leading
 * {@code /}, a drive letter or a backslash; links and other non-regular entries; programs by name
 * or by their ELF/PE/Mach-O magic; names given twice; an expanded size beyond 50 MB, counted while
 * inflating, so a zip bomb stops at the limit. The central directory is read with Commons Compress
 * (it knows Unix modes, so links are seen, and the raw name bytes, so a backslash is seen before it
 * turns a Windows name into a path); the entry count is bounded first by {@link CentralDirectory}.
 */
@Component
class ZipArchives {

    private static final int UNIX_TYPE = 0170000;
    private static final int UNIX_REGULAR = 0100000;
    private static final int UNIX_DIRECTORY = 0040000;

    private final BlobStore blobs;
    private final ContentTypes contentTypes;

    ZipArchives(BlobStore blobs, ContentTypes contentTypes) {
        this.blobs = blobs;
        this.contentTypes = contentTypes;
    }

    /** An archive's files, received into the blob store but not yet visible. */
    static final class Unpacked implements AutoCloseable {

        private final List<BlobStore.PendingBlob> pending = new ArrayList<>();
        private final List<DeployFile> files = new ArrayList<>();

        List<DeployFile> files() {
            return files;
        }

        void commit() throws IOException {
            for (BlobStore.PendingBlob blob : pending) {
                blob.commit();
            }
        }

        @Override
        public void close() {
            pending.forEach(BlobStore.PendingBlob::close);
        }
    }

    /** Checks and unpacks the archive; the caller commits the result once the deploy is recorded. */
    Unpacked unpack(Path archive) throws IOException {
        if (Files.size(archive) > SitePaths.MAX_BYTES) {
            throw refused("zipfile", "is larger than " + SitePaths.MAX_BYTES + " bytes");
        }
        long counted = CentralDirectory.count(archive, SitePaths.MAX_FILES);
        if (counted < 0) {
            throw refused("zipfile", "is not a readable zip archive");
        }
        if (counted > SitePaths.MAX_FILES) {
            throw refused("zipfile", "holds more than " + SitePaths.MAX_FILES + " entries");
        }
        Unpacked unpacked = new Unpacked();
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            if (entries.size() > SitePaths.MAX_FILES) {
                throw refused("zipfile", "holds more than " + SitePaths.MAX_FILES + " entries");
            }
            List<ZipArchiveEntry> files = checkNames(zip, entries);
            long budget = SitePaths.MAX_BYTES;
            for (ZipArchiveEntry entry : files) {
                BlobStore.PendingBlob blob;
                try (InputStream in = zip.getInputStream(entry)) {
                    blob = blobs.receive(in, budget);
                } catch (BlobStore.BlobTooLargeException e) {
                    throw refused(entry.getName(), "expands the archive beyond " + SitePaths.MAX_BYTES + " bytes");
                } catch (IOException e) {
                    throw refused(entry.getName(), "cannot be read (corrupt or unsupported compression)");
                }
                unpacked.pending.add(blob);
                budget -= blob.size();
                byte[] head = blob.head();
                if (SitePaths.executableMagic(head, head.length)) {
                    throw refused(entry.getName(), "is a program (ELF, PE or Mach-O)");
                }
                unpacked.files.add(new DeployFile(entry.getName(), blob.sha256(), blob.size(),
                        contentTypes.sniff(head, entry.getName())));
            }
            if (unpacked.files.isEmpty()) {
                throw refused("zipfile", "holds no files");
            }
            return unpacked;
        } catch (BaserDbException e) {
            unpacked.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            unpacked.close();
            throw refused("zipfile", "is not a readable zip archive");
        }
    }

    /** Every entry's name and kind, in the archive's order; returns the regular files. */
    private static List<ZipArchiveEntry> checkNames(ZipFile zip, List<ZipArchiveEntry> entries) {
        Set<String> seen = new HashSet<>();
        List<ZipArchiveEntry> files = new ArrayList<>();
        for (ZipArchiveEntry entry : entries) {
            String name = entry.getName();
            for (byte b : entry.getRawName()) {
                if (b == '\\') {
                    throw refused(new String(entry.getRawName(), java.nio.charset.StandardCharsets.UTF_8),
                            "must not contain a backslash");
                }
            }
            boolean directory = entry.isDirectory();
            String path = directory && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            String problem = SitePaths.problem(path);
            if (problem != null) {
                throw refused(name, problem);
            }
            if (entry.isUnixSymlink()) {
                throw refused(name, "is a link");
            }
            int type = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? entry.getUnixMode() & UNIX_TYPE : 0;
            if (type != 0 && type != UNIX_REGULAR && type != UNIX_DIRECTORY) {
                throw refused(name, "is not a regular file");
            }
            if (!seen.add(path)) {
                throw refused(name, "is in the archive twice");
            }
            if (directory || type == UNIX_DIRECTORY) {
                continue;
            }
            if (SitePaths.executableName(name)) {
                throw refused(name, "is a program (by its name)");
            }
            if (!zip.canReadEntryData(entry)) {
                throw refused(name, "is encrypted or compressed with an unsupported method");
            }
            files.add(entry);
        }
        return files;
    }

    private static BaserDbException refused(String entry, String problem) {
        return BaserDbException.invalid("zipfile", entry.equals("zipfile") ? problem : entry + ": " + problem);
    }
}
