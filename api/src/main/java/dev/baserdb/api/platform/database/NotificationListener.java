package dev.baserdb.api.platform.database;

import dev.baserdb.kernel.data.DataCatalog;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * This node's ear for changes of shared state made on any node: one session of the owner that
 * LISTENs on every {@link NotificationChannel} of the application (the table metadata of the
 * {@link DataCatalog}, the platform settings, …) and passes each notification to its channel.
 * Whoever changes that state notifies in the same transaction, and PostgreSQL delivers at commit.
 * While the session is down every channel is told it is not heard ({@code listening(false)}), so a
 * lost notification can never leave a stale copy in use; the session is opened again after a second.
 */
@Component
class NotificationListener implements SmartLifecycle {

    /** The {@code application_name} of the listener's session (pg_stat_activity). */
    static final String APPLICATION_NAME = "baserdb-listener";

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int WAIT_MILLIS = 500;

    private final Map<String, NotificationChannel> channels = new LinkedHashMap<>();
    private final String url;
    private final Properties credentials = new Properties();
    private volatile boolean running;
    private Thread thread;

    NotificationListener(List<NotificationChannel> channels, DataSourceProperties dataSource,
                         DatabaseConfiguration.Logins logins) {
        for (NotificationChannel channel : channels) {
            if (this.channels.put(channel.name(), channel) != null) {
                throw new IllegalStateException("Two listeners of channel " + channel.name());
            }
        }
        this.url = dataSource.determineUrl();
        credentials.setProperty("user", logins.owner());
        credentials.setProperty("password", logins.ownerPassword());
        credentials.setProperty("ApplicationName", APPLICATION_NAME);
    }

    /** The data catalog's channel: table, group and project changes (see {@code CatalogChanges}). */
    @Configuration
    static class Channels {

        @Bean
        NotificationChannel dataCatalogChannel(DataCatalog catalog) {
            return new NotificationChannel(DataCatalog.NOTIFY_CHANNEL, catalog::invalidate, catalog::listening);
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::listen, "notification-listener");
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
                    for (String channel : channels.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                channels.values().forEach(channel -> channel.listening().accept(true));
                warned = false;
                while (running) {
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null) {
                        received(received);
                    }
                }
            } catch (SQLException e) {
                channels.values().forEach(channel -> channel.listening().accept(false));
                if (running && !warned) {
                    log.warn("The notification listener lost its session ({}); table metadata and platform"
                            + " settings are read from the database until it is back", e.getMessage());
                    warned = true;
                }
                pause();
            }
        }
        channels.values().forEach(channel -> channel.listening().accept(false));
    }

    /** Each channel once per batch, however many notifications it got. */
    private void received(PGNotification[] received) {
        Map<String, NotificationChannel> notified = new LinkedHashMap<>();
        for (PGNotification notification : received) {
            NotificationChannel channel = channels.get(notification.getName());
            if (channel != null) {
                notified.put(channel.name(), channel);
            }
        }
        notified.values().forEach(channel -> channel.notified().run());
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
