package dev.baserdb.api.site;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded entry count that runs before a zip library reads an archive's central directory. */
class CentralDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void given_an_archive_then_its_entries_are_counted() throws IOException {
        Zips zip = Zips.zip();
        for (int i = 0; i < 25; i++) {
            zip.file("f" + i + ".txt", "x" + i);
        }
        assertThat(CentralDirectory.count(write(zip.bytes()), 100)).isEqualTo(25);
    }

    @Test
    void given_more_entries_than_the_limit_then_the_count_stops_one_past_it() throws IOException {
        Zips zip = Zips.zip();
        for (int i = 0; i < 50; i++) {
            zip.stored("f" + i, new byte[0]);
        }
        assertThat(CentralDirectory.count(write(zip.bytes()), 10)).isEqualTo(11);
    }

    @Test
    void given_a_zip64_archive_then_its_end_record_is_followed() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/zips/bomb-1gb-bzip2.zip")) {
            assertThat(CentralDirectory.count(write(in.readAllBytes()), 10)).isEqualTo(1);
        }
    }

    @Test
    void given_bytes_that_are_no_zip_then_minus_one() throws IOException {
        assertThat(CentralDirectory.count(write("not a zip".getBytes()), 10)).isEqualTo(-1);
        assertThat(CentralDirectory.count(write(new byte[0]), 10)).isEqualTo(-1);
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "a", ".zip"), bytes);
    }
}
