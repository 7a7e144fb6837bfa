package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail is tamper-evident: the database itself refuses UPDATE, DELETE and TRUNCATE on
 * {@code audit_entries}, and whoever gets around that (here: by disabling the trigger, in real SQL)
 * and changes, removes or inserts an entry is caught by {@code GET /audit/verify}, which names the
 * first broken entry. While a test tampers, no audit checkpoint is taken ({@link Tampering}).
 *
 * <p>The audit table is shared by every test class of the run, and the verify request can only see
 * committed rows: each tampering is committed, checked, and then undone exactly (again with the
 * trigger disabled inside one transaction, so it is never disabled for anyone else), and the test
 * proves the table is byte-for-byte what it was and verifies again.
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTamperingTest {

    @LocalServerPort
    int port;

    private Http http;
    private Accounts.Account platformAdmin;
    private Accounts.Account owner;
    private String organization;
    /** The sequence numbers of the dedicated organization's entries, oldest first. */
    private List<Long> sequences;
    /** Every row of the audit table as text, before the test tampers with it. */
    private List<String> untouched;

    @BeforeAll
    void anOrganizationWithSeveralAuditedActions() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        platformAdmin = accounts.admin();
        owner = accounts.anAccount();
        Accounts.Account member = accounts.anAccount();
        organization = ok(http.bearer(owner.accessToken()).post("/api/v1/organizations",
                Http.json("slug", dev.baserdb.api.support.Tenancy.uniqueSlug("tamper"), "name", "Tamper 0")))
                .path("id").asText();
        for (int i = 1; i <= 3; i++) {
            ok(http.bearer(owner.accessToken()).patch("/api/v1/organizations/" + organization,
                    Http.json("name", "Tamper " + i)));
        }
        ok(http.bearer(owner.accessToken()).post("/api/v1/organizations/" + organization + "/members",
                Http.json("email", member.email(), "role", "viewer"))); // an invitation, left open
    }

    @BeforeEach
    void theAuditProcessorHasCaughtUpAndTheChainVerifies() {
        AuditTrail.awaitCaughtUp();
        sequences = AuditTrail.strings("SELECT sequence FROM audit_entries WHERE organization_id = ? ORDER BY sequence",
                organization).stream().map(Long::valueOf).toList();
        assertThat(sequences).hasSize(6);
        untouched = dump();
        assertThat(verifyAsAdmin().path("verified").asBoolean()).as("the chain verifies before tampering").isTrue();
    }

    // ---- the database refuses -----------------------------------------------------------------

    @Test
    void given_the_audit_table_when_updating_an_entry_then_the_database_refuses() {
        long target = sequences.get(2);

        assertThatThrownBy(() -> AuditTrail.execute("UPDATE audit_entries SET action = 'organization.archived' "
                + "WHERE sequence = ?", target))
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause().hasMessageContaining("append-only");
        assertThat(dump()).isEqualTo(untouched);
    }

    @Test
    void given_the_audit_table_when_deleting_an_entry_then_the_database_refuses() {
        long target = sequences.get(2);

        assertThatThrownBy(() -> AuditTrail.execute("DELETE FROM audit_entries WHERE sequence = ?", target))
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause().hasMessageContaining("append-only");
        assertThat(dump()).isEqualTo(untouched);
    }

    @Test
    void given_the_audit_table_when_truncating_it_then_the_database_refuses() {
        assertThatThrownBy(() -> AuditTrail.execute("TRUNCATE audit_entries"))
                .hasRootCauseInstanceOf(SQLException.class)
                .rootCause().hasMessageContaining("append-only");
        assertThat(dump()).isEqualTo(untouched);
    }

    // ---- tampering is detected ----------------------------------------------------------------

    @Test
    void given_an_entrys_changes_edited_when_verifying_then_that_entry_is_the_first_broken_one() {
        long target = sequences.get(2);
        String id = idAt(target);
        String original = AuditTrail.strings("SELECT changes FROM audit_entries WHERE sequence = ?", target).get(0);
        String forged = original.replace("Tamper 1", "Innocent name");
        assertThat(forged).isNotEqualTo(original);
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(
                List.of("UPDATE audit_entries SET changes = ? WHERE sequence = ?"),
                List.of(List.of(original, target))))) {
            Tampering.commit(List.of("UPDATE audit_entries SET changes = ? WHERE sequence = ?"),
                    List.of(List.of(forged, target)));

            assertBrokenAt(id);
        }
        assertRestored();
    }

    @Test
    void given_an_entrys_action_edited_when_verifying_then_that_entry_is_the_first_broken_one() {
        long target = sequences.get(3);
        String id = idAt(target);
        String original = AuditTrail.strings("SELECT action FROM audit_entries WHERE sequence = ?", target).get(0);
        assertThat(original).isEqualTo("organization.renamed");
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(
                List.of("UPDATE audit_entries SET action = ? WHERE sequence = ?"),
                List.of(List.of(original, target))))) {
            Tampering.commit(List.of("UPDATE audit_entries SET action = 'organization.member_removed' "
                    + "WHERE sequence = ?"), List.of(List.of(target)));

            assertBrokenAt(id);
        }
        assertRestored();
    }

    @Test
    void given_an_entry_deleted_when_verifying_then_the_entry_after_it_is_the_first_broken_one() {
        long target = sequences.get(2);
        String next = idAt(target + 1);
        String row = AuditTrail.strings("SELECT row_to_json(a)::text FROM audit_entries a WHERE sequence = ?", target)
                .get(0);
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(
                List.of("INSERT INTO audit_entries SELECT * FROM "
                        + "json_populate_record(null::audit_entries, ?::json) ON CONFLICT DO NOTHING"),
                List.of(List.of(row))))) {
            Tampering.commit(List.of("DELETE FROM audit_entries WHERE sequence = ?"), List.of(List.of(target)));

            assertBrokenAt(next);
        }
        assertRestored();
    }

    @Test
    void given_a_forged_entry_with_a_valid_hash_inserted_when_verifying_then_it_is_the_first_broken_one_and_extra() {
        // A forger who knows the published hash rule: the forged entry follows its predecessor and hashes
        // correctly; the entries after it are moved one place down. It records no event of the event
        // store, so it is the first broken entry and counts as extra (and the entry that used to follow
        // the predecessor no longer links to what precedes it).
        long after = sequences.get(2);
        String predecessorHash = AuditTrail.strings("SELECT hash FROM audit_entries WHERE sequence = ?", after).get(0);
        JsonNode changes = AuditChain.object().put("organization_id", organization).put("name", "Forged")
                .put("previous_name", "Tamper 2");
        AuditEntry forged = new AuditEntry("evt_f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0", after + 1, -after, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                organization, null, "user", owner.userId(), null, "organization.renamed", "organization", organization,
                "forged-request", null, null, changes, predecessorHash, null).withChain(predecessorHash);
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(List.of(
                        "DELETE FROM audit_entries WHERE id = ?",
                        "UPDATE audit_entries SET sequence = -(sequence - 1) WHERE sequence > ?",
                        "UPDATE audit_entries SET sequence = -sequence WHERE sequence < 0"),
                List.of(List.of(forged.id()), List.of(after + 1), List.of())))) {
            Tampering.commit(List.of(
                    "UPDATE audit_entries SET sequence = -sequence - 1 WHERE sequence > ?",
                    "UPDATE audit_entries SET sequence = -sequence WHERE sequence < 0",
                    "INSERT INTO audit_entries (sequence, id, global_index, occurred_at, organization_id, actor_type, "
                            + "actor_id, action, resource_type, resource_id, request_id, changes, prev_hash, hash) "
                            + "VALUES (?, ?, ?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                    List.of(List.of(after), List.of(), List.of(forged.sequence(), forged.id(), forged.globalIndex(),
                            forged.occurredAt().toString(), organization, "user", owner.userId(), forged.action(),
                            forged.resourceType(), forged.resourceId(), forged.requestId(),
                            AuditChain.canonical(forged.changes()), forged.prevHash(), forged.hash())));
            assertThat(forged.expectedHash()).isEqualTo(forged.hash());

            assertBrokenAt(forged.id());
            JsonNode verification = verifyAsAdmin();
            assertThat(verification.path("extra").asLong()).as(verification.toString()).isEqualTo(1);
            assertThat(verification.path("extra_ids").get(0).asText()).isEqualTo(forged.id());
        }
        assertRestored();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void assertBrokenAt(String id) {
        JsonNode asAdmin = verifyAsAdmin();
        JsonNode asOwner = ok(http.bearer(owner.accessToken()).get("/api/v1/audit/verify?organization_id="
                + organization));

        assertThat(asAdmin.path("verified").asBoolean()).as("as platform admin: " + asAdmin).isFalse();
        assertThat(asAdmin.path("first_broken_id").asText()).as("as platform admin: " + asAdmin).isEqualTo(id);
        assertThat(asOwner.path("verified").asBoolean()).as("as the owner: " + asOwner).isFalse();
        assertThat(asOwner.path("first_broken_id").asText()).as("as the owner: " + asOwner).isEqualTo(id);
    }

    /** The tampering was undone exactly, the trigger is on again, and the whole chain verifies. */
    private void assertRestored() {
        assertThat(dump()).as("the audit table after the tampering was undone").isEqualTo(untouched);
        assertThat(AuditTrail.count("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_entries'::regclass "
                + "AND NOT tgisinternal AND tgenabled = 'O'")).as("both triggers enabled").isEqualTo(2);
        JsonNode verification = verifyAsAdmin();
        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("first_broken_id").isNull()).isTrue();
    }

    private JsonNode verifyAsAdmin() {
        return ok(http.bearer(platformAdmin.accessToken()).get("/api/v1/audit/verify"));
    }

    private static String idAt(long sequence) {
        return AuditTrail.strings("SELECT id FROM audit_entries WHERE sequence = ?", sequence).get(0);
    }

    private static List<String> dump() {
        return Tampering.dump();
    }
}
