package dev.baserdb.api.platform;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs before the application context: makes sure the configured PostgreSQL database exists
 * (creating it when the user may), and when PostgreSQL cannot be reached at all, ends the
 * process with one clear line instead of a page of stack traces.
 */
public class DatabaseBootstrap implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    /** How long to wait for PostgreSQL to come up before giving up ({@code baserdb.database.startup-wait}). */
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
    private static final String DATABASE_DOES_NOT_EXIST = "3D000";
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?]+)(\\?.*)?$");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Environment env = event.getEnvironment();
        String url = env.getProperty("spring.datasource.url");
        if (url == null) {
            return;
        }
        Properties credentials = new Properties();
        credentials.setProperty("user", env.getProperty("spring.datasource.username", "postgres"));
        credentials.setProperty("password", env.getProperty("spring.datasource.password", ""));
        credentials.setProperty("connectTimeout", "5");
        credentials.setProperty("loginTimeout", "5");
        Duration wait = env.getProperty("baserdb.database.startup-wait", Duration.class, DEFAULT_WAIT);
        try {
            ensureDatabase(url, credentials, wait);
        } catch (SQLException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\.+$", "");
            System.err.println("BaserDB cannot use PostgreSQL at " + url + ": " + reason
                    + ". Start PostgreSQL (e.g. `pg_ctlcluster --skip-systemctl-redirect 15 main start`"
                    + " or `docker compose up -d postgres`) or point BASERDB_DATABASE_URL at a running server.");
            System.exit(2);
        }
    }

    static void ensureDatabase(String url, Properties credentials, Duration wait) throws SQLException {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            try (Connection ignored = DriverManager.getConnection(url, credentials)) {
                return;
            } catch (SQLException e) {
                if (DATABASE_DOES_NOT_EXIST.equals(e.getSQLState())) {
                    createDatabase(url, credentials);
                    return;
                }
                if (Instant.now().isAfter(deadline) || !isConnectionProblem(e)) {
                    throw e;
                }
                pause();
            }
        }
    }

    private static void createDatabase(String url, Properties credentials) throws SQLException {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new SQLException("database does not exist and the URL cannot be parsed to create it");
        }
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        String database = m.group(2);
        try (Connection c = DriverManager.getConnection(maintenanceUrl, credentials);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
        }
        System.err.println("BaserDB created database " + database);
    }

    private static boolean isConnectionProblem(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    private static void pause() {
        try {
            Thread.sleep(1000); // retry pacing while PostgreSQL starts, not a test wait
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
