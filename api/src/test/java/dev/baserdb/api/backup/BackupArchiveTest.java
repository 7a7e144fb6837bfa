package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.backup.ProjectEventLog.StoredEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The archive format on its own: what is written reads back, and any edit of a part is detected. */
class BackupArchiveTest {

    private static final BackupArchive.Cut CUT = new BackupArchive.Cut("bkp_1", "prj_1", "org_1", 42,
            Instant.parse("2026-11-29T10:00:00Z"));

    @TempDir
    Path dir;

    private static StoredEvent event(long index, String payload) {
        return new StoredEvent(index, "e" + index, "dev.baserdb.kernel.data.RowEvents$RowInserted", "1", "row" + index,
                "Row", 0, Instant.parse("2026-11-29T09:00:00.123Z").plusSeconds(index).toString(),
                payload.getBytes(StandardCharsets.UTF_8), "{\"actor_id\":\"usr_1\"}".getBytes(StandardCharsets.UTF_8));
    }

    private Path written(int events) throws IOException {
        Path file = dir.resolve("prj_1").resolve("bkp_1.jsonl.gz");
        BackupArchive.write(file, CUT, consumer -> {
            for (int i = 1; i <= events; i++) {
                consumer.accept(event(i, "{\"projectId\":\"prj_1\",\"values\":{\"n\":" + i + "}}"));
            }
        });
        return file;
    }

    @Test
    void given_events_when_written_and_read_back_then_the_same_events_in_order_and_the_file_hash_is_the_runs() throws IOException {
        Path file = dir.resolve("prj_1").resolve("bkp_1.jsonl.gz");
        BackupArchive.Written written = BackupArchive.write(file, CUT, consumer -> {
            for (int i = 1; i <= 1000; i++) {
                consumer.accept(event(i, "{\"projectId\":\"prj_1\",\"values\":{\"n\":" + i + "}}"));
            }
        });

        List<JsonNode> read = new ArrayList<>();
        BackupArchive.Contents contents = BackupArchive.read(file, read::add);

        assertThat(written.eventCount()).isEqualTo(1000);
        assertThat(written.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(written.sha256()).isEqualTo(BackupArchive.sha256Of(file));
        assertThat(read).hasSize(1000);
        assertThat(read.get(999).path("payload").path("values").path("n").asInt()).isEqualTo(1000);
        assertThat(read.get(0).path("metadata").path("actor_id").asText()).isEqualTo("usr_1");
        assertThat(contents.manifest().path("counts").path("events").asLong()).isEqualTo(1000);
        assertThat(contents.manifest().path("counts").path("by_type")
                .path("dev.baserdb.kernel.data.RowEvents$RowInserted").asLong()).isEqualTo(1000);
        assertThat(contents.header().path("cut").path("position").asLong()).isEqualTo(42);
        assertThat(dir.resolve("prj_1")).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void given_an_event_when_written_as_a_line_then_the_text_jacksons_generator_writes() throws IOException {
        StoredEvent plain = event(7, "{\"projectId\":\"prj_1\",\"values\":{\"n\":\"é\\n\"}}");
        StoredEvent odd = new StoredEvent(1234567890123L, "e\"1\\", "type ü\u0001", null, "row", "Row", 0,
                "2026-11-29T09:00:00Z", "{}".getBytes(StandardCharsets.UTF_8), null);
        BackupArchive.EventLine line = new BackupArchive.EventLine();
        for (StoredEvent event : List.of(plain, odd)) {
            line.write(event);

            assertThat(new String(line.bytes, 0, line.length, StandardCharsets.UTF_8)).isEqualTo(jackson(event) + "\n");
        }
    }

    /** The line as Jackson's generator wrote it before the archive built its lines itself. */
    private static String jackson(StoredEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator json = new com.fasterxml.jackson.databind.ObjectMapper()
                .getFactory().createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeNumberField("global_index", event.globalIndex());
            json.writeStringField("event_id", event.eventId());
            json.writeStringField("type", event.payloadType());
            json.writeStringField("revision", event.payloadRevision());
            json.writeStringField("aggregate_id", event.aggregateId());
            json.writeStringField("aggregate_type", event.aggregateType());
            json.writeNumberField("sequence", event.sequence());
            json.writeStringField("timestamp", event.timestamp());
            json.writeFieldName("payload");
            json.writeRawValue(new String(event.payload(), StandardCharsets.UTF_8));
            json.writeFieldName("metadata");
            if (event.metadata() == null) {
                json.writeNull();
            } else {
                json.writeRawValue(new String(event.metadata(), StandardCharsets.UTF_8));
            }
            json.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void given_no_events_when_written_then_an_archive_of_header_and_manifest() throws IOException {
        assertThat(BackupArchive.read(written(0), line -> { }).eventCount()).isZero();
    }

    @Test
    void given_an_event_line_edited_when_read_then_the_events_part_fails_its_sha256() throws IOException {
        Path file = written(3);
        rewrite(file, text -> text.replace("\"n\":2", "\"n\":7"));

        assertThatThrownBy(() -> BackupArchive.read(file, line -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("events part does not match");
    }

    @Test
    void given_an_event_line_removed_when_read_then_refused() throws IOException {
        Path file = written(3);
        rewrite(file, text -> {
            String[] lines = text.split("\n");
            return String.join("\n", lines[0], lines[1], lines[3], lines[4]) + "\n";
        });

        assertThatThrownBy(() -> BackupArchive.read(file, line -> { })).isInstanceOf(IOException.class);
    }

    @Test
    void given_a_truncated_archive_when_read_then_refused_as_incomplete() throws IOException {
        Path file = written(3);
        rewrite(file, text -> text.substring(0, text.lastIndexOf("{\"part\":\"manifest\"")));

        assertThatThrownBy(() -> BackupArchive.read(file, line -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("incomplete");
    }

    @Test
    void given_a_file_that_is_not_an_archive_when_read_then_refused() throws IOException {
        Path file = dir.resolve("other.gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"hello\":1}\n".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> BackupArchive.read(file, line -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("Not a BaserDB backup archive");
    }

    private static void rewrite(Path file, java.util.function.UnaryOperator<String> edit) throws IOException {
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            text = bytes.toString(StandardCharsets.UTF_8);
        }
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(edit.apply(text).getBytes(StandardCharsets.UTF_8));
        }
    }
}
