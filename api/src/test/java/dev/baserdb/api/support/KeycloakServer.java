package dev.baserdb.api.support;

import org.keycloak.admin.client.Keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Keycloak server for the keycloak-tagged tests: the distribution Maven unpacked into
 * {@code target/keycloak} (the {@code baserdb.keycloak.home} system property), started once per
 * test run in dev mode with an in-memory database, bound to 127.0.0.1 on free ports, with the
 * repository's realm ({@code keycloak/baserdb-realm.json}) and a second realm for the tests
 * ({@code other}) imported. Stopped when the run ends, also after failures (a shutdown hook).
 */
public final class KeycloakServer {

    public static final String REALM = "baserdb";
    public static final String OTHER_REALM = "other";
    public static final String CLIENT_ID = "baserdb-api";
    /** The dev secret of the committed realm file (docs/keycloak.md: change it in production). */
    public static final String CLIENT_SECRET = "baserdb-dev-secret-change-me";
    public static final String OTHER_REALM_SECRET = "other-realm-secret";
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "keycloak test admin";

    private static KeycloakServer running;

    private final Process process;
    private final String url;
    private final URI readiness;
    private final Path log;
    private volatile boolean ready;

    private KeycloakServer(Process process, String url, URI readiness, Path log) {
        this.process = process;
        this.url = url;
        this.readiness = readiness;
        this.log = log;
    }

    /**
     * The server of this run, started on first use but not awaited: the application context starts
     * meanwhile (it reaches Keycloak only when a test sends it a token or an event to mirror).
     */
    public static synchronized KeycloakServer get() {
        if (running == null) {
            running = start();
        }
        return running;
    }

    /** The server of this run, once it answers (15–40 s after the start on a quiet machine). */
    public static KeycloakServer ready() {
        KeycloakServer server = get();
        server.awaitReady();
        return server;
    }

    private synchronized void awaitReady() {
        if (ready) {
            return;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await("Keycloak ready (log: " + log + ")").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Keycloak stopped during start; see " + log);
                    }
                    try {
                        return client.send(HttpRequest.newBuilder(readiness).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
        ready = true;
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    public String tokenEndpoint(String realm) {
        return url + "/realms/" + realm + "/protocol/openid-connect/token";
    }

    /** An admin client signed in to the master realm as the bootstrap admin (tests read back and prepare with it). */
    public Keycloak admin() {
        return Keycloak.getInstance(url, "master", ADMIN, ADMIN_PASSWORD, "admin-cli");
    }

    private static KeycloakServer start() {
        Path home = home();
        try {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            try (var stale = Files.list(imports)) {
                for (Path file : stale.toList()) {
                    Files.delete(file);
                }
            }
            Files.copy(realmFile(), imports.resolve("baserdb-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            try (InputStream other = KeycloakServer.class.getResourceAsStream("/keycloak/other-realm.json")) {
                Files.copy(other, imports.resolve("other-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            int httpPort = freePort();
            int managementPort = freePort();
            Path log = home.resolveSibling("keycloak-test.log");
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", home.resolve("bin/kc.sh").toString(),
                    "start-dev", "--db=dev-mem", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                    "--http-management-port=" + managementPort, "--health-enabled=true", "--import-realm"))
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "stop-keycloak"));
            return new KeycloakServer(process, "http://127.0.0.1:" + httpPort,
                    URI.create("http://127.0.0.1:" + managementPort + "/health/ready"), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Keycloak from " + home, e);
        }
    }

    /** Stops the server and anything it started: TERM first, KILL after 20 s. */
    private static void stop(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Path home() {
        String configured = System.getProperty("baserdb.keycloak.home");
        Path home = configured != null ? Path.of(configured) : Path.of("target/keycloak/keycloak-26.7.3");
        if (!Files.isExecutable(home.resolve("bin/kc.sh")) && !Files.exists(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home.toAbsolutePath()
                    + ": run the tests through Maven (mvn verify unpacks it in process-test-resources)");
        }
        return home;
    }

    /** The realm file committed at the repository root, the same one docker-compose.yml imports. */
    private static Path realmFile() {
        for (Path candidate : List.of(Path.of("../keycloak/baserdb-realm.json"), Path.of("keycloak/baserdb-realm.json"))) {
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("keycloak/baserdb-realm.json not found from " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
