package dev.baserdb.api.platform;

import dev.baserdb.api.BaserDbApplication;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Started against a PostgreSQL that is not there, the platform process ends by itself, non-zero,
 * with one line that names the URL and says how to start a database — not a page of stack traces.
 */
class DatabaseUnreachableTest {

    @Test
    void given_no_postgresql_when_started_then_it_exits_non_zero_with_one_clear_line() throws Exception {
        int closedPort = freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/baserdb";
        Path output = Files.createTempFile("baserdb-unreachable", ".log");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                BaserDbApplication.class.getName(),
                "--spring.datasource.url=" + url,
                "--baserdb.database.startup-wait=2s",
                "--baserdb.data-dir=" + Files.createTempDirectory("baserdb-unreachable-data"),
                "--server.port=0")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }

        assertThat(ended).as("the process ends by itself within 30 s").isTrue();
        assertThat(process.exitValue()).isNotZero();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(lines).filteredOn(line -> line.startsWith("BaserDB cannot use PostgreSQL at " + url))
                .singleElement()
                .satisfies(line -> assertThat(line).contains("Start PostgreSQL").contains("BASERDB_DATABASE_URL"));
        assertThat(String.join("\n", lines)).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
