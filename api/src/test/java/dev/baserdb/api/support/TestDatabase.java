package dev.baserdb.api.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baserdb.kernel.data.DatabaseRoles;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One fresh PostgreSQL database per test run (JVM), dropped when the run ends, so runs never see
 * each other. The server is the one on 127.0.0.1:5432 unless {@code BASERDB_TEST_DATABASE_URL}
 * names another (its path is replaced by the per-run database name). Every context it initializes
 * also sends its email for real, over SMTP, to the run's one {@link TestMail} server.
 */
public final class TestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String SERVER = System.getenv().getOrDefault("BASERDB_TEST_SERVER_URL",
            "jdbc:postgresql://127.0.0.1:5432/");
    public static final String USER = System.getenv().getOrDefault("BASERDB_TEST_DATABASE_USER", "postgres");
    public static final String PASSWORD = System.getenv().getOrDefault("BASERDB_TEST_DATABASE_PASSWORD", "");
    /** A fixed master key for tests: base64 of 32 bytes. */
    public static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";
    /**
     * The platform admin of the shared test context, created at start by the admin bootstrap (the
     * {@code BASERDB_ADMIN_EMAIL} / {@code BASERDB_ADMIN_PASSWORD} settings). Sign in with
     * {@link Accounts#admin()}.
     */
    public static final String ADMIN_EMAIL = "baserdb-test-admin@example.com";
    public static final String ADMIN_PASSWORD = "platform admin test password";

    /** The {@code application_name} of the connections {@link #checks()} lends. */
    public static final String CHECKS_APPLICATION_NAME = "baserdb-test-checks";

    private static String url;
    private static Path dataDir;
    private static HikariDataSource checks;

    /** The JDBC URL of this run's database, created on first use. */
    public static synchronized String url() {
        if (url == null) {
            String name = "baserdb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            url = create(name);
            try {
                dataDir = Files.createTempDirectory("baserdb-test-data");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                closeChecks();
                drop(name);
            }, "drop-" + name));
        }
        return url;
    }

    /** Creates another fresh database (dropped at the end of the run) and returns its URL. */
    public static String createExtra(String purpose) {
        String name = "baserdb_test_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String created = create(name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name), "drop-" + name));
        return created;
    }

    /** A new session of its own on this run's database (for a test that sets up a session: locks, roles, settings). */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    /**
     * A connection to this run's database for a test's checks (one statement in autocommit, no
     * session settings): lent from a small pool, since a new connection starts a PostgreSQL backend
     * each time (about 25 ms here), and the checks of some tests, polled or repeated per attempt,
     * made hundreds of them. Closing it gives it back.
     */
    public static Connection checked() throws SQLException {
        return checks().getConnection();
    }

    private static synchronized HikariDataSource checks() {
        if (checks == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url());
            config.setUsername(USER);
            config.setPassword(PASSWORD);
            config.setPoolName(CHECKS_APPLICATION_NAME);
            config.addDataSourceProperty("ApplicationName", CHECKS_APPLICATION_NAME);
            // no server-side prepared statements: a check's plan kept on a lent connection could outlive a change
            // of the table it reads
            config.addDataSourceProperty("prepareThreshold", "0");
            config.setMaximumPoolSize(4);
            config.setMinimumIdle(0);
            config.setIdleTimeout(10_000);
            checks = new HikariDataSource(config);
        }
        return checks;
    }

    private static synchronized void closeChecks() {
        if (checks != null) {
            checks.close();
            checks = null;
        }
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String database = url();
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                "spring.datasource.url=" + database,
                "spring.datasource.username=" + USER,
                "spring.datasource.password=" + PASSWORD,
                "baserdb.master-key=" + MASTER_KEY,
                "baserdb.data-dir=" + dataDir,
                // Real email through the run's one GreenMail server (same port for every context).
                "baserdb.mail.provider=smtp",
                "baserdb.mail.smtp-host=" + TestMail.HOST,
                "baserdb.mail.smtp-port=" + TestMail.smtpPort(),
                // The first platform admin, created at start like in production.
                "baserdb.admin.email=" + ADMIN_EMAIL,
                "baserdb.admin.password=" + ADMIN_PASSWORD,
                // Above the longest a test holds a data request on purpose (DatabaseBoundaryRegressionTest).
                "baserdb.database.statement-timeout=10s",
                // Webhooks to the tests' own receivers on 127.0.0.1, with short timeouts and backoff.
                "baserdb.webhooks.allow-loopback=true",
                "baserdb.webhooks.timeout=1500ms",
                "baserdb.webhooks.first-retry=200ms",
                "baserdb.webhooks.max-attempts=4",
                // Realtime streams: heartbeats and the stream limit reachable within a test.
                "baserdb.realtime.heartbeat=500ms",
                "baserdb.realtime.max-streams=4");
    }

    private static String create(String name) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name + " on " + SERVER
                    + " (is PostgreSQL running? see README)", e);
        }
        return SERVER + name;
    }

    /** The roles the application made for a database of this run (its owner, authenticator, project roles). */
    public static DatabaseRoles roles(String databaseUrl) {
        return DatabaseRoles.forDatabase(databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1));
    }

    /** The roles of this run's database. */
    public static DatabaseRoles roles() {
        return roles(url());
    }

    /** Drops the database, then every role the application made for it (roles belong to the whole server). */
    public static void drop(String name) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            List<String> roles = new ArrayList<>();
            String prefix = DatabaseRoles.forDatabase(name).prefix();
            // Read-only credential logins (ro_…) carry no tag: they are found as members of the run's reader roles.
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT m.rolname FROM pg_auth_members a "
                    + "JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
                    + "WHERE starts_with(r.rolname, '" + prefix + "') AND r.rolname LIKE '%\\_reader' "
                    + "AND starts_with(m.rolname, 'ro_')")) {
                while (rs.next()) {
                    roles.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT rolname FROM pg_roles WHERE starts_with(rolname, '"
                    + prefix + "')")) {
                while (rs.next()) {
                    roles.add(rs.getString(1));
                }
            }
            for (String role : roles) {
                s.execute("DROP ROLE IF EXISTS \"" + role + "\"");
            }
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
