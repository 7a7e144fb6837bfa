package dev.baserdb.api.platform.database;

import java.util.function.Consumer;

/**
 * A PostgreSQL notification channel this node listens on ({@link NotificationListener}), for a
 * cache of committed state that any node may change: whoever changes that state sends
 * {@code pg_notify(name, '')} in the same transaction, so PostgreSQL tells every node at commit.
 *
 * @param name      the channel (a plain lower-case identifier)
 * @param notified  called on each notification: the state changed, forget what is cached
 * @param listening called with {@code true} once the node hears the channel, and with {@code false}
 *                  when it stops hearing it (connection lost, node stopping); while not listening a
 *                  cache must not be trusted, since a change would go unannounced
 */
public record NotificationChannel(String name, Runnable notified, Consumer<Boolean> listening) {

    public NotificationChannel {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a plain channel name: " + name);
        }
    }
}
