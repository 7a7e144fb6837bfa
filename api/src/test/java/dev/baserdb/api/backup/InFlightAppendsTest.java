package dev.baserdb.api.backup;

import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backup cuts only after the appends in flight at its cut have ended (so none commits late below
 * the cut), and only those: a transaction that appends nothing does not hold it up.
 */
@ApiTest
class InFlightAppendsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Autowired
    ProjectEventLog events;

    @Test
    void given_an_append_in_flight_when_a_backup_waits_then_it_waits_until_that_transaction_ends() throws Exception {
        try (Connection appender = TestDatabase.connect()) {
            appender.setAutoCommit(false);
            try (PreparedStatement append = appender.prepareStatement("INSERT INTO domainevententry "
                    + "(aggregateidentifier, sequencenumber, type, eventidentifier, payload, payloadtype, timestamp) "
                    + "VALUES (?, 0, 'Test', ?, '{}'::bytea, 'test.InFlight', '2026-11-29T00:00:00.000Z')")) {
                append.setString(1, UUID.randomUUID().toString());
                append.setString(2, UUID.randomUUID().toString());
                append.executeUpdate();
            }

            CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> events.awaitInFlightAppends(PATIENCE));

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !waited.isDone());
            appender.rollback();
            await().atMost(Duration.ofSeconds(10)).until(waited::isDone);
        }
    }

    @Test
    void given_a_long_transaction_that_appends_nothing_when_a_backup_waits_then_it_does_not_wait_for_it() throws Exception {
        try (Connection other = TestDatabase.connect()) {
            other.setAutoCommit(false);
            try (Statement write = other.createStatement()) {
                // holds a transaction id, as any writer anywhere in the cluster does
                write.execute("SELECT pg_current_xact_id()");
            }

            CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> events.awaitInFlightAppends(PATIENCE));

            await().atMost(Duration.ofSeconds(10)).until(waited::isDone);
            assertThat(waited).isCompleted();
            other.rollback();
        }
    }
}
