package dev.baserdb.api.platform.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.AxonEventLogApp;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.kernel.eventlog.EventLog;
import dev.baserdb.kernel.eventlog.EventLog.StoredEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_ENTRIES;
import static dev.baserdb.kernel.readmodel.schema.Tables.AUDIT_PENDING;

/**
 * With {@code baserdb.event-log=axon} (what the {@code axonserver} profile sets) every read of
 * stored events outside the processors goes through Axon's API ({@link AxonEventLog}); here over
 * the JDBC engine, so each answer can be held against {@link JdbcEventLog}'s SQL on the same
 * events. Audit verify, its tamper detection, admin stats and an inline rebuild run on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AxonEventLogTest {

    private ConfigurableApplicationContext app;
    private Http http;
    private Accounts.Account admin;
    private String renamed;
    private EventLog axon;
    private EventLog jdbc;

    @BeforeAll
    void anOrganizationRenamedSeveralTimes() {
        app = AxonEventLogApp.context();
        http = new Http(AxonEventLogApp.port());
        Accounts accounts = new Accounts(http);
        admin = accounts.admin();
        Accounts.Account owner = accounts.anAccount();
        renamed = "Axon log " + Tenancy.unique("n");
        String organization = ok(http.bearer(owner.accessToken()).post("/api/v1/organizations",
                Http.json("slug", Tenancy.uniqueSlug("axonlog"), "name", "Axon log 0"))).path("id").asText();
        for (int i = 1; i <= 3; i++) {
            ok(http.bearer(owner.accessToken()).patch("/api/v1/organizations/" + organization,
                    Http.json("name", i == 2 ? renamed : "Axon log " + i)));
        }
        AxonEventLogApp.awaitAuditCaughtUp();
        axon = app.getBean(EventLog.class);
        jdbc = new JdbcEventLog(app.getBean(DSLContext.class), app.getBean(EventStorageEngine.class),
                app.getBean(org.axonframework.config.Configuration.class));
    }

    @Test
    void given_the_axon_event_log_then_the_axon_variants_are_wired_and_no_jdbc_reader() {
        assertThat(axon).isInstanceOf(AxonEventLog.class);
        assertThat(app.getBeansOfType(JdbcEventLog.class)).isEmpty();
    }

    @Test
    void given_the_stored_events_then_every_read_through_axons_api_equals_the_jdbc_one() {
        long head = jdbc.head();
        List<Long> indexes = globalIndexes();
        long[] all = indexes.stream().mapToLong(Long::longValue).toArray();
        assertThat(all.length).isGreaterThan(5);

        assertThat(axon.head()).isEqualTo(head).isEqualTo(all[all.length - 1]);
        assertThat(text(axon.at(all))).isEqualTo(text(jdbc.at(all))).hasSize(all.length);
        long[] some = {all[1], all[4], all[all.length - 2], head + 5};
        assertThat(text(axon.at(some))).isEqualTo(text(jdbc.at(some))).hasSize(3);
        // nothing recorded anywhere: every event; recorded in the trail (caught up): none
        assertThat(text(axon.absentFrom(head, List.of()))).isEqualTo(text(jdbc.absentFrom(head, List.of())))
                .hasSize(all.length);
        assertThat(axon.absentFrom(head, List.of(AUDIT_ENTRIES.GLOBAL_INDEX, AUDIT_PENDING.GLOBAL_INDEX))).isEmpty();

        Map<Long, StoredEvent> events = jdbc.at(all);
        List<String> ids = List.of(events.get(all[2]).eventIdentifier(), events.get(all[all.length - 1]).eventIdentifier());
        assertThat(axon.indexesOf(ids, all[2])).isEqualTo(jdbc.indexesOf(ids, all[2]))
                .isEqualTo(Map.of(ids.get(0), all[2], ids.get(1), all[all.length - 1]));
        // a hint above an event: it is still found
        assertThat(axon.indexesOf(ids, head)).isEqualTo(jdbc.indexesOf(ids, 0));
        assertThat(axon.indexesOf(List.of("no-such-event"), 0)).isEmpty();

        assertThat(axon.anyAt(List.of(all[3], head + 7))).isTrue();
        assertThat(axon.anyAt(List.of(head + 3, head + 7))).isFalse();
        assertThat(jdbc.anyAt(List.of(head + 3, head + 7))).isFalse();

        assertThat(axon.count()).isEqualTo(jdbc.count()).isEqualTo((long) all.length);
        assertThat(jdbc.sizeBytes()).isPositive();
        assertThat(axon.sizeBytes()).as("Axon's API does not tell a store's size").isNull();
    }

    @Test
    void given_the_stored_events_then_the_jdbc_replay_hands_over_the_same_messages_as_axons_stream() {
        List<String> streamed = new ArrayList<>();
        axon.replay(event -> streamed.add(describe(event)));
        List<String> replayed = new ArrayList<>();
        new TransactionTemplate(app.getBean(PlatformTransactionManager.class))
                .executeWithoutResult(status -> jdbc.replay(event -> replayed.add(describe(event))));
        assertThat(replayed).hasSize(globalIndexes().size()).isEqualTo(streamed);
    }

    /** What a handler can see of an event: its position, identity, aggregate, time, payload and metadata. */
    private static String describe(TrackedEventMessage<?> event) {
        String aggregate = event instanceof DomainEventMessage<?> domain
                ? domain.getType() + " " + domain.getAggregateIdentifier() + " " + domain.getSequenceNumber()
                : "no aggregate";
        return String.join(" | ", String.valueOf(event.trackingToken().position().orElse(-1)),
                event.getIdentifier(), aggregate, event.getTimestamp().toString(), event.getPayloadType().getName(),
                String.valueOf(event.getPayload()), new TreeMap<>(event.getMetaData()).toString());
    }

    @Test
    void given_the_axon_event_log_when_verifying_the_audit_trail_then_it_verifies_and_an_edited_event_is_found() {
        JsonNode verified = verify();
        assertThat(verified.path("verified").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("checked").asLong()).isEqualTo(AxonEventLogApp.count("SELECT count(*) FROM audit_entries"));

        String edited = renamed.replace("Axon", "Axe");
        try {
            assertThat(editEventPayload(renamed, edited)).isPositive(); // the rename, and the next one's previous name
            JsonNode broken = verify();
            assertThat(broken.path("verified").asBoolean()).as(broken.toString()).isFalse();
            assertThat(broken.path("first_broken_id").asText()).startsWith("evt_");
        } finally {
            editEventPayload(edited, renamed);
        }
        assertThat(verify().path("verified").asBoolean()).isTrue();
    }

    @Test
    void given_the_axon_event_log_when_reading_admin_stats_then_the_event_count_is_exact_and_the_size_unknown() {
        JsonNode stats = ok(http.bearer(admin.accessToken()).get("/api/v1/admin/stats"));
        JsonNode store = stats.path("event_store");
        assertThat(store.path("events").isNumber()).as(stats.toString()).isTrue();
        // the count is the store's at the moment of the request: no other writer runs on this database
        assertThat(store.path("events").asLong()).isEqualTo(AxonEventLogApp.count("SELECT count(*) FROM domainevententry"));
        assertThat(store.path("size_bytes").isNull()).as(stats.toString()).isTrue();
    }

    @Test
    void given_the_axon_event_log_when_rebuilding_an_inline_read_model_then_it_equals_the_live_one() throws SQLException {
        List<String> before = dump("users", "sessions", "refresh_tokens");
        AxonEventLogApp.execute("TRUNCATE users, sessions, refresh_tokens");
        assertThat(dump("users", "sessions", "refresh_tokens")).isEmpty();

        InlineReadModelRebuilder rebuilder = app.getBean(InlineReadModelRebuilder.class);
        assertThat(rebuilder.rebuild("users")).isPositive();
        assertThat(rebuilder.rebuild("sessions")).isPositive();

        assertThat(dump("users", "sessions", "refresh_tokens")).isEqualTo(before);
    }

    @Test
    void given_tokens_in_a_stream_then_each_events_own_index_is_told() {
        GapAwareTrackingToken start = GapAwareTrackingToken.newInstance(4, Set.of());
        GapAwareTrackingToken seven = start.advanceTo(7, 10_000); // gaps 5, 6
        assertThat(AxonEventLog.ownIndex(start, seven)).isEqualTo(7);
        GapAwareTrackingToken six = seven.advanceTo(6, 10_000); // 6 committed late
        assertThat(six.getIndex()).isEqualTo(7);
        assertThat(AxonEventLog.ownIndex(seven, six)).isEqualTo(6);
        assertThat(AxonEventLog.ownIndex(six, six.advanceTo(8, 10_000))).isEqualTo(8);
        assertThat(AxonEventLog.ownIndex(null, new GlobalSequenceTrackingToken(12))).isEqualTo(12);
    }

    private JsonNode verify() {
        return ok(http.bearer(admin.accessToken()).get("/api/v1/audit/verify"));
    }

    /** Rewrites the stored events whose payload holds {@code from}, in SQL. */
    private static int editEventPayload(String from, String to) {
        return AxonEventLogApp.execute("UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, "
                + "'UTF8'), ?, ?), 'UTF8') WHERE position(convert_to(?, 'UTF8') IN payload) > 0", from, to, from);
    }

    private static List<Long> globalIndexes() {
        List<Long> indexes = new ArrayList<>();
        try (Connection c = AxonEventLogApp.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT globalindex FROM domainevententry ORDER BY globalindex")) {
            while (rs.next()) {
                indexes.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return indexes;
    }

    private static List<String> dump(String... tables) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = AxonEventLogApp.connect(); Statement s = c.createStatement()) {
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY t::text")) {
                    while (rs.next()) {
                        rows.add(table + ": " + rs.getString(1));
                    }
                }
            }
        }
        return rows;
    }

    /** Events as comparable text, every field (payload and metadata as their bytes' text), by global index. */
    private static Map<Long, String> text(Map<Long, StoredEvent> events) {
        Map<Long, String> text = new TreeMap<>();
        events.forEach((index, event) -> text.put(index, text(event)));
        return text;
    }

    private static List<String> text(List<StoredEvent> events) {
        return events.stream().map(AxonEventLogTest::text).toList();
    }

    private static String text(StoredEvent event) {
        return String.join(" | ", String.valueOf(event.globalIndex()), event.eventIdentifier(),
                String.valueOf(event.aggregateType()), event.aggregateIdentifier(),
                String.valueOf(event.sequenceNumber()), event.payloadType(), String.valueOf(event.payloadRevision()),
                event.timestamp(), new String(event.payload(), StandardCharsets.UTF_8),
                event.metaData() == null ? "null" : new String(event.metaData(), StandardCharsets.UTF_8));
    }
}
