package dev.baserdb.api.platform.eventstore;

import dev.baserdb.api.support.TestDatabase;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How streaming processors read the JDBC event store ({@link PostgresEventStorageEngine}): past gaps
 * wider than a batch, back to events committed late into a gap, and with one statement per batch,
 * the stream ending at the first short batch. On a database of its own with Axon's event table.
 */
class PostgresEventStreamTest {

    private static final String URL = TestDatabase.createExtra("stream");
    private static final int BATCH = 2;

    private final AtomicInteger statements = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private PostgresEventStorageEngine engine;

    @BeforeEach
    void emptyEventTable() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS domainevententry");
            String ddl;
            try (InputStream migration = getClass().getResourceAsStream("/db/migration/V1_0__event_store.sql")) {
                ddl = new String(migration.readAllBytes(), StandardCharsets.UTF_8);
            }
            statement.execute(ddl.substring(ddl.indexOf("CREATE TABLE domainevententry"),
                    ddl.indexOf(";", ddl.indexOf("CREATE TABLE domainevententry"))));
        }
        ConnectionProvider counting = () -> {
            Connection connection = connect();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("prepareStatement")) {
                            statements.incrementAndGet();
                        }
                        try {
                            return method.invoke(connection, arguments);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
        TransactionManager countingTransactions = () -> {
            transactions.incrementAndGet();
            return NoTransactionManager.INSTANCE.startTransaction();
        };
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        engine = new PostgresEventStorageEngine(JdbcEventStorageEngine.builder()
                .eventSerializer(serializer).snapshotSerializer(serializer)
                .connectionProvider(counting).transactionManager(countingTransactions)
                .schema(new EventSchema()).batchSize(BATCH));
    }

    @Test
    void given_a_gap_wider_than_a_batch_then_the_stream_reads_on_past_it() throws SQLException {
        append("a", "b", "c");
        execute("SELECT setval('domainevententry_globalindex_seq', 60)");
        append("d", "e");

        List<TrackedEventMessage<?>> read = read(null);

        assertThat(read).extracting(event -> (Object) event.getPayload()).containsExactly("a", "b", "c", "d", "e");
        assertThat(read).extracting(event -> ((GapAwareTrackingToken) event.trackingToken()).getIndex())
                .containsExactly(1L, 2L, 3L, 61L, 62L);
    }

    @Test
    void given_an_event_committed_after_later_ones_were_read_then_the_next_read_starts_with_it() throws SQLException {
        append("first");
        try (Connection late = connect()) {
            late.setAutoCommit(false);
            try (Statement statement = late.createStatement()) {
                statement.executeUpdate(lateEvent("nextval('domainevententry_globalindex_seq')"));
            }
            append("third", "fourth");

            List<TrackedEventMessage<?>> before = read(null);
            assertThat(before).extracting(event -> (Object) event.getPayload()).containsExactly("first", "third", "fourth");
            TrackingToken token = before.get(2).trackingToken();
            assertThat(((GapAwareTrackingToken) token).getGaps()).containsExactly(2L);
            assertThat(read(token)).as("nothing committed in the gap yet").isEmpty();

            late.commit();
            List<TrackedEventMessage<?>> after = read(token);
            assertThat(after).extracting(event -> (Object) event.getIdentifier()).containsExactly("late-event");
            assertThat(((GapAwareTrackingToken) after.get(0).trackingToken()).getGaps()).isEmpty();
        }
        append("fifth");
        assertThat(read(null)).extracting(event -> (Object) event.getIdentifier())
                .hasSize(5).contains("late-event");
    }

    @Test
    void given_fewer_events_than_a_batch_left_then_the_stream_ends_after_the_read_that_found_them() {
        append("one", "two", "three", "four");
        TrackingToken afterFirst = read(null).get(0).trackingToken();

        statements.set(0);
        assertThat(read(afterFirst)).extracting(event -> (Object) event.getPayload())
                .containsExactly("two", "three", "four");
        assertThat(statements).as("a full batch, then a short one; no empty read, no min(globalIndex)").hasValue(2);

        TrackingToken head = engine.createHeadToken();
        statements.set(0);
        assertThat(read(head)).isEmpty();
        assertThat(statements).as("at the head: one read").hasValue(1);
    }

    @Test
    void given_a_read_then_it_is_one_statement_outside_a_transaction() {
        append("one");
        transactions.set(0);
        statements.set(0);

        assertThat(read(null)).extracting(event -> (Object) event.getPayload()).containsExactly("one");
        assertThat(statements).hasValue(1);
        assertThat(transactions).as("no BEGIN and COMMIT around the read").hasValue(0);
    }

    @Test
    void given_a_token_with_more_gaps_than_axon_cleans_at_then_the_read_goes_through_axon_and_still_finds_a_late_event()
            throws SQLException {
        append("first");
        execute("SELECT setval('domainevententry_globalindex_seq', 400)");
        append("after the gap");
        TrackingToken token = read(null).get(1).trackingToken();
        assertThat(((GapAwareTrackingToken) token).getGaps()).hasSize(399);
        execute(lateEvent("7"));
        transactions.set(0);

        assertThat(read(token)).extracting(event -> (Object) event.getIdentifier()).containsExactly("late-event");
        assertThat(transactions).as("Axon's read, in its transaction, cleaning old gaps first").hasValue(1);
    }

    private List<TrackedEventMessage<?>> read(TrackingToken token) {
        return engine.readEvents(token, false).<TrackedEventMessage<?>>map(event -> event).toList();
    }

    /** The insert of an event 'late-event' at the global index {@code globalIndex} (an SQL expression), written now. */
    private static String lateEvent(String globalIndex) {
        return "INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, eventidentifier, payload, "
                + "metadata, payloadtype, timestamp) VALUES (" + globalIndex + ", 'late', 0, 'late-event', "
                + "convert_to('\"late\"', 'UTF8'), convert_to('{}', 'UTF8'), 'java.lang.String', '"
                + PostgresEventStorageEngine.text(GenericEventMessage.clock.instant()) + "')";
    }

    private void append(String... payloads) {
        engine.appendEvents(Arrays.stream(payloads).map(GenericEventMessage::asEventMessage).toList());
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, TestDatabase.USER, TestDatabase.PASSWORD);
    }
}
