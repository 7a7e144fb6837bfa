package dev.baserdb.api.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Http;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Backup runs over HTTP for tests: start one, wait for its outcome, download and unpack its archive. */
final class BackupSteps {

    /** How long a run or restore may take in a test (asynchronous, on the scheduler). */
    static final Duration WITHIN = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private BackupSteps() {
    }

    /** Starts a run of the project and waits until it has succeeded; returns the run. */
    static JsonNode aSucceededRun(Http as, String projectId) {
        Http.Response started = as.post("/api/v1/backups/runs", Http.json("project_id", projectId));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return awaitRun(as, started.data().path("id").asText(), "succeeded");
    }

    static JsonNode awaitRun(Http as, String runId, String status) {
        JsonNode[] run = {null};
        await("run " + runId + " " + status).atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
            run[0] = ok(as.get("/api/v1/backups/runs/" + runId));
            assertThat(run[0].path("status").asText()).as(run[0].toString()).isNotEqualTo(
                    status.equals("failed") ? "succeeded" : "failed");
            return run[0].path("status").asText().equals(status);
        });
        return run[0];
    }

    /** A download: status, content type and the bytes as sent. */
    record Download(int status, String contentType, byte[] bytes) {
    }

    static Download download(int port, String authorization, String runId) {
        try {
            HttpResponse<byte[]> response = CLIENT.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/v1/backups/runs/" + runId + "/download"))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Download(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The archive's lines, unzipped, each as JSON and as the exact text written. */
    record Archive(List<String> lines, List<JsonNode> json) {

        JsonNode header() {
            return json.get(0);
        }

        JsonNode manifest() {
            return json.get(json.size() - 1);
        }

        List<JsonNode> events() {
            return json.subList(1, json.size() - 1);
        }

        /** The SHA-256 of the event lines (newlines included), recomputed. */
        String eventsSha256() {
            MessageDigest digest = sha256();
            for (String line : lines.subList(1, lines.size() - 1)) {
                digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    static Archive unpack(byte[] gzip) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(gzip)), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            List<JsonNode> json = new ArrayList<>();
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
                json.add(Http.JSON.readTree(line));
            }
            return new Archive(lines, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
