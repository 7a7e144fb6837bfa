package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditDerivation;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit projection writes each batch of events at once (one unit of work, one JDBC batch);
 * its entries are exactly those of handling the events one by one with the published rule, and a
 * replay that finds entries missing writes them again byte for byte, over many batches.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditReplayTest {

    private static final int ROWS = 1200;
    private static final Duration REPLAY = Duration.ofSeconds(120);

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    private Http http;
    private Accounts.Account platformAdmin;
    private String organization;

    @BeforeAll
    void manyEventsOfOneOrganization() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        Tenancy tenancy = new Tenancy(http);
        platformAdmin = accounts.admin();
        Accounts.Account owner = accounts.anAccount();
        organization = tenancy.anOrganization(owner);
        Tenancy.Project project = tenancy.aProject(owner, organization);
        Http owned = http.bearer(owner.accessToken());
        ok(owned.post("/api/v1/tables", Http.json("project_id", project.id(), "name", "replayed", "columns",
                List.of(Map.of("name", "body", "type", "TEXT"), Map.of("name", "rank", "type", "INT"),
                        Map.of("name", "price", "type", "DECIMAL(10,2)"), Map.of("name", "api_secret", "type", "TEXT")))));
        for (int batch = 0; batch < ROWS / 400; batch++) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                rows.add(Map.of("body", "row \"" + batch + "/" + i + "\" é", "rank", i,
                        "price", new BigDecimal(i).movePointLeft(2), "api_secret", "s" + i));
            }
            ok(owned.post("/api/v1/data/" + project.id() + "/replayed/batch", rows));
        }
        String row = ok(owned.post("/api/v1/data/" + project.id() + "/replayed",
                Http.json("body", "changed, then deleted", "rank", 1))).path("id").asText();
        ok(owned.patch("/api/v1/data/" + project.id() + "/replayed/" + row, Http.json("rank", -1)));
        ok(owned.delete("/api/v1/data/" + project.id() + "/replayed/" + row));
    }

    @Test
    void given_many_events_when_their_entries_are_rebuilt_by_a_replay_then_the_trail_is_byte_identical_and_follows_the_rule() throws Exception {
        AuditTrail.awaitCaughtUp();
        List<String> live = Tampering.dump();
        assertEveryEntryIsItsEventsByTheRule();
        long from = AuditTrail.count("SELECT min(sequence) FROM audit_entries WHERE organization_id = ?", organization);
        assertThat(live.size() - from).as("entries to rebuild").isGreaterThan(ROWS);

        try (Tampering ignored = Tampering.undoneBy(() -> restore(live))) {
            Tampering.commit(connection -> Tampering.update(connection,
                    "DELETE FROM audit_entries WHERE sequence >= ?", from));
            assertThat(AuditTrail.count("SELECT count(*) FROM audit_entries")).isEqualTo(from - 1);

            Http.Response replay = http.bearer(platformAdmin.accessToken())
                    .post("/api/v1/admin/projections/audit/replay", null);
            assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
            await("the audit replay").atMost(REPLAY).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                JsonNode status = null;
                for (JsonNode each : ok(http.bearer(platformAdmin.accessToken()).get("/api/v1/admin/projections"))) {
                    status = each.path("name").asText().equals("audit") ? each : status;
                }
                assertThat(status).isNotNull();
                assertThat(status.path("replaying").asBoolean()).as(status.toString()).isFalse();
                assertThat(AuditTrail.count("SELECT count(*) FROM audit_entries")).isEqualTo(live.size());
            });

            assertThat(Tampering.dump()).containsExactlyElementsOf(live);
        }
        JsonNode verification = ok(http.bearer(platformAdmin.accessToken()).get("/api/v1/audit/verify"));
        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
    }

    /**
     * The oracle: every stored entry, in chain order, is the entry its event gives by
     * {@link AuditDerivation} from the event deserialized by Axon's serializer, at its place in a
     * chain recomputed from the genesis hash — what handling the events one at a time wrote.
     */
    private void assertEveryEntryIsItsEventsByTheRule() throws SQLException {
        String previous = AuditChain.GENESIS;
        long expectedSequence = 1;
        try (Connection connection = TestDatabase.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT a.sequence, a.id, a.global_index,"
                     + " a.prev_hash, a.hash, a.changes, e.eventidentifier, e.aggregateidentifier, e.sequencenumber,"
                     + " e.type, e.payload, e.payloadtype, e.payloadrevision, e.metadata, e.timestamp"
                     + " FROM audit_entries a JOIN domainevententry e ON e.globalindex = a.global_index"
                     + " ORDER BY a.sequence");
             ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                Object payload = eventSerializer.deserialize(new SimpleSerializedObject<>(row.getBytes("payload"),
                        byte[].class, row.getString("payloadtype"), row.getString("payloadrevision")));
                MetaData metaData = eventSerializer.deserialize(new SimpleSerializedObject<>(row.getBytes("metadata"),
                        byte[].class, MetaData.class.getName(), null));
                GenericDomainEventMessage<?> event = new GenericDomainEventMessage<>(row.getString("type"),
                        row.getString("aggregateidentifier"), row.getLong("sequencenumber"), payload, metaData,
                        row.getString("eventidentifier"), DateTimeUtils.parseInstant(row.getString("timestamp")));

                AuditDerivation.Derived derived = AuditDerivation.derive(event, row.getLong("global_index"),
                        expectedSequence, previous);

                String entry = row.getString("id") + " at " + row.getLong("sequence");
                assertThat(row.getLong("sequence")).as(entry).isEqualTo(expectedSequence);
                assertThat(row.getString("id")).as(entry).isEqualTo(derived.entry().id());
                assertThat(row.getString("prev_hash")).as(entry).isEqualTo(previous);
                assertThat(row.getString("changes")).as(entry).isEqualTo(derived.canonicalChanges());
                assertThat(row.getString("hash")).as(entry).isEqualTo(derived.entry().hash())
                        .isEqualTo(derived.entry().expectedHash());
                previous = row.getString("hash");
                expectedSequence++;
            }
        }
        assertThat(expectedSequence).as("entries checked").isGreaterThan(ROWS);
    }

    /** Puts the rows back exactly as they were, should the replay not have. */
    private static void restore(List<String> rows) {
        if (Tampering.dump().equals(rows)) {
            return;
        }
        Tampering.commit(connection -> {
            Tampering.update(connection, "DELETE FROM audit_entries");
            Tampering.update(connection, "INSERT INTO audit_entries SELECT (r::audit_entries).* FROM unnest(?) r",
                    connection.createArrayOf("text", rows.toArray()));
        });
    }
}
