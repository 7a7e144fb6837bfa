package dev.baserdb.api.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole application with {@code baserdb.event-log=axon} (what the {@code axonserver} profile
 * sets), on a database of its own and the JDBC event engine: every read of stored events outside
 * the processors then goes through Axon's API. Started once per run for the test classes that use
 * it, and closed at the end of the run.
 */
public final class AxonEventLogApp {

    private static ConfigurableApplicationContext context;
    private static String database;

    private AxonEventLogApp() {
    }

    public static synchronized ConfigurableApplicationContext context() {
        if (context == null) {
            database = TestDatabase.createExtra("axonlog");
            context = InProcessNode.start(database,
                    "--baserdb.admin.email=" + TestDatabase.ADMIN_EMAIL,
                    "--baserdb.admin.password=" + TestDatabase.ADMIN_PASSWORD,
                    "--baserdb.event-log=axon");
            ConfigurableApplicationContext started = context;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "close-axonlog"));
        }
        return context;
    }

    public static int port() {
        return ((WebServerApplicationContext) context()).getWebServer().getPort();
    }

    public static Connection connect() throws SQLException {
        context();
        return DriverManager.getConnection(database, TestDatabase.USER, TestDatabase.PASSWORD);
    }

    /** A single number from SQL on the app's database. */
    public static long count(String sql, Object... parameters) {
        try (Connection c = connect(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an update on the app's database; returns the rows changed. */
    public static int execute(String sql, Object... parameters) {
        try (Connection c = connect(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every event stored so far has its audit entry. */
    public static void awaitAuditCaughtUp() {
        long head = count("SELECT coalesce(max(globalindex), 0) FROM domainevententry");
        org.awaitility.Awaitility.await("the audit processor to reach global index " + head)
                .atMost(AuditTrail.CATCH_UP).pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> count("SELECT count(*) FROM domainevententry d WHERE d.globalindex <= ? "
                        + "AND NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.global_index = d.globalindex)",
                        head) == 0);
    }
}
