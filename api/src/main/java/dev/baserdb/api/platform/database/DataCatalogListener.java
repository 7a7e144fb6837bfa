package dev.baserdb.api.platform.database;

import dev.baserdb.kernel.data.DataCatalog;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * This node's ear for table-metadata changes made on any node: a session of the owner that
 * LISTENs on {@link DataCatalog#NOTIFY_CHANNEL} (the data-plane projection notifies in the
 * transaction of every table change; PostgreSQL delivers it at commit) and empties the node's
 * {@link DataCatalog} on each notification. While the session is down the catalog caches nothing,
 * so a lost notification can never leave a stale table in use; the session is opened again after a
 * second.
 */
@Component
class DataCatalogListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DataCatalogListener.class);
    private static final int WAIT_MILLIS = 500;

    private final DataCatalog catalog;
    private final String url;
    private final Properties credentials = new Properties();
    private volatile boolean running;
    private Thread thread;

    DataCatalogListener(DataCatalog catalog, DataSourceProperties dataSource, DatabaseConfiguration.Logins logins) {
        this.catalog = catalog;
        this.url = dataSource.determineUrl();
        credentials.setProperty("user", logins.owner());
        credentials.setProperty("password", logins.ownerPassword());
        credentials.setProperty("ApplicationName", "baserdb-catalog-listener");
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "data-catalog-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, credentials)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + DataCatalog.NOTIFY_CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                catalog.listening(true);
                warned = false;
                while (running) {
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null && received.length > 0) {
                        catalog.invalidate();
                    }
                }
            } catch (SQLException e) {
                catalog.listening(false);
                if (running && !warned) {
                    log.warn("The data catalog's listener lost its session ({}); table metadata is read from the"
                            + " database until it is back", e.getMessage());
                    warned = true;
                }
                pause();
            }
        }
        catalog.listening(false);
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
