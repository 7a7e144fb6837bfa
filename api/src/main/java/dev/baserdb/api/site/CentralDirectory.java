package dev.baserdb.api.site;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts a zip archive's central-directory entries without building an object per entry, stopping
 * one past a limit, so an archive claiming a million tiny entries is refused before a zip library
 * reads them all into memory. (The JDK's reader would count too, but it refuses every compression
 * method but stored and deflated, which Commons Compress reads.) Written here because no library
 * exposes a bounded count; it reads only the end record (zip64 too) and the entries' fixed headers.
 */
final class CentralDirectory {

    private static final int END = 0x06054b50;
    private static final int END64 = 0x06064b50;
    private static final int LOCATOR64 = 0x07064b50;
    private static final int ENTRY = 0x02014b50;
    private static final int END_SIZE = 22;
    private static final int ENTRY_SIZE = 46;

    private CentralDirectory() {
    }

    /** The number of entries (at most {@code limit + 1}); -1 when the archive has no end record. */
    static long count(Path archive, long limit) throws IOException {
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
            long size = channel.size();
            int tailLength = (int) Math.min(size, END_SIZE + 0xffff);
            ByteBuffer tail = read(channel, size - tailLength, tailLength);
            int end = -1;
            for (int i = tailLength - END_SIZE; i >= 0; i--) {
                if (tail.getInt(i) == END) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                return -1;
            }
            long total = Short.toUnsignedInt(tail.getShort(end + 10));
            long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
            long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
            if ((total == 0xffff || directoryOffset == 0xffffffffL || directorySize == 0xffffffffL) && end >= 20
                    && tail.getInt(end - 20) == LOCATOR64) {
                long end64 = tail.getLong(end - 20 + 8);
                if (end64 < 0 || end64 + 56 > size) {
                    return -1;
                }
                ByteBuffer record = read(channel, end64, 56);
                if (record.getInt(0) != END64) {
                    return -1;
                }
                total = record.getLong(32);
                directorySize = record.getLong(40);
                directoryOffset = record.getLong(48);
            }
            if (total < 0 || total > limit) {
                return limit + 1;
            }
            long count = 0;
            long position = directoryOffset;
            long stop = Math.min(size, directoryOffset + directorySize);
            while (position >= 0 && position + ENTRY_SIZE <= stop) {
                ByteBuffer entry = read(channel, position, ENTRY_SIZE);
                if (entry.getInt(0) != ENTRY) {
                    break;
                }
                if (++count > limit) {
                    return count;
                }
                position += ENTRY_SIZE + Short.toUnsignedInt(entry.getShort(28))
                        + Short.toUnsignedInt(entry.getShort(30)) + Short.toUnsignedInt(entry.getShort(32));
            }
            return Math.max(count, total);
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
    }
}
