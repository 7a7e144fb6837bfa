package dev.baserdb.api.backup;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.backup.ProjectEventLog.StoredEvent;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The backup archive format (API.md §9): one gzip stream of JSON lines, written and read as a stream
 * so memory stays flat whatever the number of events.
 * <ol>
 *   <li>a header line {@code {"part":"header", "format", "format_version", run, project, cut}};</li>
 *   <li>one line per event, in global order: {@code {global_index, event_id, type, revision,
 *       aggregate_id, aggregate_type, sequence, timestamp, payload, metadata}} with payload and
 *       metadata exactly as the event store holds them;</li>
 *   <li>the manifest line {@code {"part":"manifest", …, counts, parts:[{name, lines, bytes, sha256}]}}
 *       with the SHA-256 of each part's uncompressed lines (newlines included).</li>
 * </ol>
 * The SHA-256 of the whole file is the run's {@code sha256}. The manifest comes last because its
 * hashes are known only once the events are written.
 */
final class BackupArchive {

    static final String FORMAT = "baserdb-backup";
    static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupArchive() {
    }

    /** What a written archive is: its event count, size on disk and the SHA-256 of the file. */
    record Written(long eventCount, long sizeBytes, String sha256) {
    }

    /** The cut and identity the header and manifest name. */
    record Cut(String runId, String projectId, String organizationId, long position, Instant at) {
    }

    /** A source of the events to write, in order. */
    interface EventSource {
        void forEach(Consumer<StoredEvent> consumer);
    }

    /**
     * Compression level of the archive: level 1 writes several times faster than gzip's default 6 and
     * the archive comes out a little larger (JSON lines of repeated field names compress well at any
     * level), so a backup runs at the speed of reading the store rather than of deflating.
     */
    static final int GZIP_LEVEL = Deflater.BEST_SPEED;
    private static final int BUFFER = 1 << 16;

    /** Writes the archive to {@code target} (through a temporary file, moved into place when complete). */
    static Written write(Path target, Cut cut, EventSource events) throws IOException {
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            MessageDigest whole = sha256();
            MessageDigest headerDigest = sha256();
            MessageDigest eventsDigest = sha256();
            long[] eventBytes = {0};
            long[] eventCount = {0};
            Map<String, long[]> byType = new TreeMap<>();
            long headerBytes;
            try (OutputStream file = Files.newOutputStream(temporary);
                 DigestOutputStream digested = new DigestOutputStream(new BufferedOutputStream(file, BUFFER), whole);
                 GZIPOutputStream gzip = new FastGzip(digested)) {
                ObjectNode header = JSON.createObjectNode().put("part", "header").put("format", FORMAT)
                        .put("format_version", FORMAT_VERSION);
                describe(header, cut);
                headerBytes = line(gzip, headerDigest, JSON.writeValueAsBytes(header));
                EventLine line = new EventLine();
                IOException[] failure = {null};
                String[] lastType = {null};
                long[][] lastCount = {null};
                events.forEach(event -> {
                    if (failure[0] != null) {
                        return;
                    }
                    try {
                        line.write(event);
                        gzip.write(line.bytes, 0, line.length);
                        eventsDigest.update(line.bytes, 0, line.length);
                        eventBytes[0] += line.length;
                        eventCount[0]++;
                        // events come in runs of one type: look the counter up only when the type changes
                        if (!event.payloadType().equals(lastType[0])) {
                            lastType[0] = event.payloadType();
                            lastCount[0] = byType.computeIfAbsent(lastType[0], type -> new long[1]);
                        }
                        lastCount[0][0]++;
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
                ObjectNode manifest = JSON.createObjectNode().put("part", "manifest").put("format", FORMAT)
                        .put("format_version", FORMAT_VERSION);
                describe(manifest, cut);
                ObjectNode counts = manifest.putObject("counts").put("events", eventCount[0]);
                ObjectNode types = counts.putObject("by_type");
                byType.forEach((type, count) -> types.put(type, count[0]));
                var parts = manifest.putArray("parts");
                parts.addObject().put("name", "header").put("lines", 1).put("bytes", headerBytes)
                        .put("sha256", hex(headerDigest));
                parts.addObject().put("name", "events").put("lines", eventCount[0]).put("bytes", eventBytes[0])
                        .put("sha256", hex(eventsDigest));
                line(gzip, null, JSON.writeValueAsBytes(manifest));
            }
            long size = Files.size(temporary);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(eventCount[0], size, hex(whole));
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** gzip at {@link #GZIP_LEVEL} with a 64 KiB deflate buffer. */
    private static final class FastGzip extends GZIPOutputStream {

        FastGzip(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(GZIP_LEVEL);
        }
    }

    /** The SHA-256 of a file, hex. */
    static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest);
    }

    /** An archive's header and manifest, as read back. */
    record Contents(JsonNode header, JsonNode manifest, long eventCount) {
    }

    /**
     * Reads an archive, handing each event line to {@code consumer} in order, and checks it against
     * its manifest (every part's SHA-256 and line count). A mismatch throws, after the consumer has
     * seen the events: callers that act on events do so in a transaction that the exception rolls back.
     */
    static Contents read(Path file, Consumer<JsonNode> consumer) throws IOException {
        MessageDigest headerDigest = sha256();
        MessageDigest eventsDigest = sha256();
        JsonNode header = null;
        JsonNode manifest = null;
        long events = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), BUFFER)) {
            Lines lines = new Lines(in);
            while (lines.next()) {
                if (manifest != null) {
                    throw new IOException("The archive has lines after its manifest");
                }
                JsonNode line = JSON.readTree(lines.bytes, lines.start, lines.length);
                if (header == null) {
                    if (line == null || !"header".equals(line.path("part").asText())
                            || !FORMAT.equals(line.path("format").asText())) {
                        throw new IOException("Not a BaserDB backup archive");
                    }
                    lines.digestInto(headerDigest);
                    header = line;
                } else if ("manifest".equals(line.path("part").asText())) {
                    manifest = line;
                } else {
                    lines.digestInto(eventsDigest);
                    events++;
                    consumer.accept(line);
                }
            }
        }
        if (header == null || manifest == null) {
            throw new IOException("The archive is incomplete: no " + (header == null ? "header" : "manifest"));
        }
        for (JsonNode part : manifest.path("parts")) {
            MessageDigest digest = "header".equals(part.path("name").asText()) ? headerDigest : eventsDigest;
            if (!hex(digest).equals(part.path("sha256").asText())) {
                throw new IOException("The archive's " + part.path("name").asText() + " part does not match its SHA-256");
            }
        }
        if (manifest.path("counts").path("events").asLong(-1) != events) {
            throw new IOException("The archive holds " + events + " events, its manifest says "
                    + manifest.path("counts").path("events").asLong(-1));
        }
        return new Contents(header, manifest, events);
    }

    /**
     * The lines of a stream as bytes, each read in place in one growing buffer (no String per line):
     * the digests take exactly the bytes of the file, and Jackson parses them where they lie.
     */
    private static final class Lines {

        private final InputStream in;
        byte[] bytes = new byte[BUFFER];
        int start;
        int length;
        private int next;
        private int end;
        private boolean newline;
        private boolean eof;

        Lines(InputStream in) {
            this.in = in;
        }

        /** Moves to the next line; false at the end of the stream. */
        boolean next() throws IOException {
            start = next;
            while (true) {
                for (int i = start; i < end; i++) {
                    if (bytes[i] == '\n') {
                        length = i - start;
                        newline = true;
                        next = i + 1;
                        return true;
                    }
                }
                if (eof) {
                    // a last line without its newline (an archive cut short) still counts as a line
                    length = end - start;
                    newline = false;
                    next = end;
                    return length > 0;
                }
                fill();
            }
        }

        /** The line and its newline (added when the file lacks it, as a line reader would). */
        void digestInto(MessageDigest digest) {
            digest.update(bytes, start, length);
            if (!newline) {
                digest.update((byte) '\n');
            } else {
                digest.update(bytes, start + length, 1);
            }
        }

        private void fill() throws IOException {
            if (start > 0) {
                System.arraycopy(bytes, start, bytes, 0, end - start);
                end -= start;
                next -= start;
                start = 0;
            }
            if (end == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            int read = in.read(bytes, end, bytes.length - end);
            if (read < 0) {
                eof = true;
            } else {
                end += read;
            }
        }
    }

    private static void describe(ObjectNode node, Cut cut) {
        node.put("run_id", cut.runId()).put("project_id", cut.projectId())
                .put("organization_id", cut.organizationId());
        node.putObject("cut").put("position", cut.position()).put("at", cut.at().toString());
    }

    /**
     * One event line, built in a buffer reused for every event: the fields in a fixed order, then the
     * payload and metadata copied as the bytes stored (they are JSON already). The same text Jackson's
     * generator wrote, without a generator, a String or an array per event.
     */
    static final class EventLine {

        private static final byte[] GLOBAL_INDEX = ascii("{\"global_index\":");
        private static final byte[] EVENT_ID = ascii(",\"event_id\":");
        private static final byte[] TYPE = ascii(",\"type\":");
        private static final byte[] REVISION = ascii(",\"revision\":");
        private static final byte[] AGGREGATE_ID = ascii(",\"aggregate_id\":");
        private static final byte[] AGGREGATE_TYPE = ascii(",\"aggregate_type\":");
        private static final byte[] SEQUENCE = ascii(",\"sequence\":");
        private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
        private static final byte[] PAYLOAD = ascii(",\"payload\":");
        private static final byte[] METADATA = ascii(",\"metadata\":");
        private static final byte[] NULL = ascii("null");

        byte[] bytes = new byte[4096];
        int length;

        /** Replaces the buffer's content with the event's line, newline included. */
        void write(StoredEvent event) {
            length = 0;
            append(GLOBAL_INDEX);
            number(event.globalIndex());
            append(EVENT_ID);
            string(event.eventId());
            append(TYPE);
            string(event.payloadType());
            append(REVISION);
            string(event.payloadRevision());
            append(AGGREGATE_ID);
            string(event.aggregateId());
            append(AGGREGATE_TYPE);
            string(event.aggregateType());
            append(SEQUENCE);
            number(event.sequence());
            append(TIMESTAMP);
            string(event.timestamp());
            append(PAYLOAD);
            append(event.payload());
            append(METADATA);
            append(event.metadata() == null ? NULL : event.metadata());
            room(2);
            bytes[length++] = '}';
            bytes[length++] = '\n';
        }

        private void number(long value) {
            room(20);
            if (value == 0) {
                bytes[length++] = '0';
                return;
            }
            if (value < 0) {
                // never in a stored event; written as Jackson would, for completeness
                append(ascii(Long.toString(value)));
                return;
            }
            int end = length + digits(value);
            for (int i = end - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length = end;
        }

        private static int digits(long value) {
            int digits = 1;
            while (value >= 10) {
                value /= 10;
                digits++;
            }
            return digits;
        }

        /** A JSON string: plain ASCII as it is, anything else through Jackson's own escaping. */
        private void string(String value) {
            if (value == null) {
                append(NULL);
                return;
            }
            room(value.length() + 2);
            int start = length;
            bytes[length++] = '"';
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                    length = start;
                    bytes[length++] = '"';
                    append(JsonStringEncoder.getInstance().quoteAsUTF8(value));
                    room(1);
                    bytes[length++] = '"';
                    return;
                }
                bytes[length++] = (byte) c;
            }
            bytes[length++] = '"';
        }

        private void append(byte[] more) {
            room(more.length);
            System.arraycopy(more, 0, bytes, length, more.length);
            length += more.length;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Writes one line (and its newline); returns its byte count. */
    private static long line(OutputStream out, MessageDigest digest, byte[] bytes) throws IOException {
        out.write(bytes);
        out.write('\n');
        if (digest != null) {
            digest.update(bytes);
            digest.update((byte) '\n');
        }
        return bytes.length + 1L;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
