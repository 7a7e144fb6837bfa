package dev.baserdb.api.reliability;

import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.TestDatabase;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * One BaserDB node as a separate operating-system process, started from the application's own
 * classes (the test classes left out) on a database of its own, as an operator would start the
 * packaged jar: configured through {@code BASERDB_*} environment variables only. The fault tests
 * kill it ({@code kill -9}), stop it (SIGTERM) and start it again on the same port and database.
 */
final class Node {

    static final String ADMIN_EMAIL = "faults-admin@example.com";
    static final String ADMIN_PASSWORD = "fault harness admin password";
    /** How long a start may take on a loaded two-core machine. */
    private static final Duration START = Duration.ofSeconds(180);

    private final String databaseUrl;
    private final int port;
    private final Path dataDir;
    private final Path log;
    private Process process;
    private int starts;

    private Node(String databaseUrl, int port, Path dataDir, Path log) {
        this.databaseUrl = databaseUrl;
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** A node on {@code databaseUrl}, not started yet; {@code name} names its log in {@code target/}. */
    static Node on(String databaseUrl, String name) {
        try {
            Path dataDir = Files.createTempDirectory("baserdb-fault-" + name);
            Path logs = Path.of("target", "fault-logs");
            Files.createDirectories(logs);
            return new Node(databaseUrl, freePort(), dataDir, logs.resolve(name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    Http http() {
        return new Http(port);
    }

    /** Starts the process and waits until it answers {@code /api/healthz} with 200. */
    Node start() {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xms64m", "-Xmx512m",
                "-XX:TieredStopAtLevel=1", "-cp", applicationClassPath(), "dev.baserdb.api.BaserDbApplication"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("BASERDB_DATABASE_URL", databaseUrl);
        env.put("BASERDB_DATABASE_USER", TestDatabase.USER);
        env.put("BASERDB_DATABASE_PASSWORD", TestDatabase.PASSWORD);
        env.put("BASERDB_PORT", Integer.toString(port));
        env.put("BASERDB_MASTER_KEY", TestDatabase.MASTER_KEY);
        env.put("BASERDB_DATA_DIR", dataDir.toString());
        env.put("BASERDB_ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("BASERDB_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("BASERDB_DATA_RATE_LIMIT", "1000000");
        env.put("BASERDB_DATABASE_POOL_SIZE", "12");
        env.put("BASERDB_DATA_POOL_SIZE", "4");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        starts++;
        Http http = http();
        await("node on port " + port + " healthy (start " + starts + ", log " + log + ")").atMost(START)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the node exited with " + process.exitValue() + "; see " + log);
                    }
                    return healthy(http);
                });
        return this;
    }

    /** {@code kill -9}: no shutdown of any kind. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM; the exit code. */
    int terminate() {
        process.destroy();
        return awaitExit();
    }

    /** The process id of the running process (Axon names a token's owner {@code <pid>@<host>}). */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private int awaitExit() {
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("node on port " + port + " did not exit; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    private static boolean healthy(Http http) {
        try {
            return http.get("/api/healthz").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The test JVM's class path without the test classes (they would be scanned as application beans). */
    private static String applicationClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
