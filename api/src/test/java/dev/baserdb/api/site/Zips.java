package dev.baserdb.api.site;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds zip archives for deploy tests, including the malformed and hostile ones. */
final class Zips {

    private record Entry(String name, byte[] content, int unixMode, int method) {
    }

    private final List<Entry> entries = new ArrayList<>();

    static Zips zip() {
        return new Zips();
    }

    Zips file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    Zips file(String name, byte[] content) {
        entries.add(new Entry(name, content, 0100644, ZipArchiveEntry.DEFLATED));
        return this;
    }

    Zips stored(String name, byte[] content) {
        entries.add(new Entry(name, content, 0100644, ZipArchiveEntry.STORED));
        return this;
    }

    Zips symlink(String name, String target) {
        entries.add(new Entry(name, target.getBytes(StandardCharsets.UTF_8), 0120777, ZipArchiveEntry.STORED));
        return this;
    }

    Zips fifo(String name) {
        entries.add(new Entry(name, new byte[0], 0010644, ZipArchiveEntry.STORED));
        return this;
    }

    /** One entry written by the JDK's writer, which keeps a name exactly as given (backslashes too). */
    static byte[] verbatim(String name, String content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                entry.setUnixMode(e.unixMode());
                entry.setMethod(e.method());
                if (e.method() == ZipArchiveEntry.STORED) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(e.content());
                    entry.setCrc(crc.getValue());
                    entry.setSize(e.content().length);
                }
                zip.putArchiveEntry(entry);
                zip.write(e.content());
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
