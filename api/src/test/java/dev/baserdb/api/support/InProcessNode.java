package dev.baserdb.api.support;

import dev.baserdb.api.BaserDbApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole BaserDB node started in this JVM on a test database, on a free port, as the multi-node
 * and restart tests need it: the connection and master key of the test run, a data directory of its
 * own unless the arguments give one (a shared volume), then the test's own settings. Command-line
 * arguments, so they take precedence over application.yml.
 */
public final class InProcessNode {

    private InProcessNode() {
    }

    /** Starts a node on {@code database} (a JDBC URL of the test server) with these extra {@code --name=value} arguments. */
    public static ConfigurableApplicationContext start(String database, String... arguments) {
        return start(new Class<?>[] {BaserDbApplication.class}, database, arguments);
    }

    /** {@link #start(String, String...)} with more configuration classes beside the application's (a test clock). */
    public static ConfigurableApplicationContext startWith(Class<?> configuration, String database, String... arguments) {
        return start(new Class<?>[] {BaserDbApplication.class, configuration}, database, arguments);
    }

    private static ConfigurableApplicationContext start(Class<?>[] sources, String database, String... arguments) {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=" + TestDatabase.USER,
                "--spring.datasource.password=" + TestDatabase.PASSWORD,
                "--baserdb.master-key=" + TestDatabase.MASTER_KEY));
        if (Arrays.stream(arguments).noneMatch(argument -> argument.startsWith("--baserdb.data-dir="))) {
            try {
                all.add("--baserdb.data-dir=" + Files.createTempDirectory("baserdb-node"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(sources).run(all.toArray(String[]::new));
    }

    /** The port the node's web server listens on. */
    public static int port(ConfigurableApplicationContext node) {
        return ((WebServerApplicationContext) node).getWebServer().getPort();
    }
}
