package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;
import dev.baserdb.api.platform.crypto.MasterKey;
import dev.baserdb.api.support.Accounts;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.api.support.AuditTrail;
import dev.baserdb.api.support.Http;
import dev.baserdb.api.support.Tenancy;
import dev.baserdb.api.support.TestDatabase;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditEntry;
import dev.baserdb.query.audit.AuditCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static dev.baserdb.api.support.Tenancy.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tamper evidence beyond the hash chain (API.md §10): anyone who can write the audit table can
 * recompute SHA-256, so {@code /audit/verify} also checks every entry against the event it
 * records, that every processed event has exactly one entry, and the latest signed checkpoint.
 * Each test tampers in real SQL as the superuser, checks what verify reports, and undoes the
 * tampering exactly (proved by comparing the whole table with what it was).
 */
@ApiTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTamperEvidenceTest {

    private static final String VERIFY = "/api/v1/audit/verify";
    private static final String CHECKPOINTS = "/api/v1/audit/checkpoints";

    @LocalServerPort
    int port;
    @Autowired
    AuditCheckpoints checkpoints;
    @Autowired
    MasterKey masterKey;

    private Http http;
    private Accounts.Account platformAdmin;
    private Accounts.Account owner;
    private String organization;
    /** The sequence numbers of the dedicated organization's entries, oldest first. */
    private List<Long> sequences;
    private List<String> untouched;
    /** A checkpoint of the untouched trail, taken before each test tampers. */
    private AuditCheckpoint checkpoint;

    @BeforeAll
    void anOrganizationWithSeveralAuditedActions() {
        http = new Http(port);
        Accounts accounts = new Accounts(http);
        platformAdmin = accounts.admin();
        owner = accounts.anAccount();
        organization = ok(http.bearer(owner.accessToken()).post("/api/v1/organizations",
                Http.json("slug", Tenancy.uniqueSlug("evidence"), "name", "Evidence 0"))).path("id").asText();
        for (int i = 1; i <= 5; i++) {
            ok(http.bearer(owner.accessToken()).patch("/api/v1/organizations/" + organization,
                    Http.json("name", "Evidence " + i)));
        }
    }

    @BeforeEach
    void theTrailIsCaughtUpCheckpointedAndVerifies() {
        AuditTrail.awaitCaughtUp();
        sequences = AuditTrail.strings("SELECT sequence FROM audit_entries WHERE organization_id = ? ORDER BY sequence",
                organization).stream().map(Long::valueOf).toList();
        assertThat(sequences).hasSizeGreaterThanOrEqualTo(7);
        untouched = Tampering.dump();
        checkpoint = checkpoints.checkpointNow();
        assertThat(checkpoint.count()).isEqualTo(lastSequence());
        JsonNode verification = verifyAsAdmin();
        assertThat(verification.path("verified").asBoolean()).as("before tampering: " + verification).isTrue();
    }

    // ---- an untouched trail ------------------------------------------------------------------------

    @Test
    void given_an_untouched_trail_when_verifying_then_verified_with_a_valid_checkpoint_and_nothing_missing() {
        JsonNode verification = verifyAsAdmin();

        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("first_broken_id").isNull()).isTrue();
        assertThat(verification.path("missing").asLong()).isZero();
        assertThat(verification.path("extra").asLong()).isZero();
        assertThat(verification.path("checked").asLong()).isEqualTo(lastSequence());
        JsonNode checked = verification.path("checkpoint");
        assertThat(checked.path("signature_valid").asBoolean()).as(verification.toString()).isTrue();
        assertThat(checked.path("matches_trail").asBoolean()).isTrue();
        assertThat(checked.path("position").asLong()).isGreaterThanOrEqualTo(checkpoint.position());
        assertThat(Instant.parse(checked.path("at").asText())).isAfterOrEqualTo(checkpoint.at());
    }

    @Test
    void given_an_untouched_trail_when_the_owner_verifies_their_organization_then_verified_over_its_entries() {
        JsonNode verification = ok(http.bearer(owner.accessToken()).get(VERIFY + "?organization_id=" + organization));

        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("checked").asLong()).isEqualTo(sequences.size());
        assertThat(verification.path("checkpoint").path("signature_valid").asBoolean()).isTrue();
    }

    @Test
    void given_a_checkpoint_when_listed_then_its_signature_verifies_with_the_jwks_key_over_its_four_fields()
            throws Exception {
        JsonNode listed = ok(http.bearer(platformAdmin.accessToken()).get(CHECKPOINTS + "?limit=5")).get(0);
        JWKSet jwks = JWKSet.parse(http.get("/.well-known/jwks.json").text());

        JWSObject signature = JWSObject.parse(listed.path("signature").asText());
        JWK key = jwks.getKeyByKeyId(signature.getHeader().getKeyID());

        assertThat(key).as("the checkpoint key is published in the JWKS").isInstanceOf(OctetKeyPair.class);
        assertThat(listed.path("kid").asText()).isEqualTo(key.getKeyID());
        assertThat(signature.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(signature.verify(new Ed25519Verifier(key.toOctetKeyPair()))).isTrue();
        JsonNode payload = Http.JSON.readTree(signature.getPayload().toString());
        assertThat(payload.path("position").asLong()).isEqualTo(listed.path("position").asLong());
        assertThat(payload.path("count").asLong()).isEqualTo(listed.path("count").asLong());
        assertThat(payload.path("head_hash").asText()).isEqualTo(listed.path("head_hash").asText());
        assertThat(payload.path("at").asText()).isEqualTo(listed.path("at").asText());
        assertThat(listed.path("head_hash").asText())
                .isEqualTo(AuditTrail.strings("SELECT hash FROM audit_entries WHERE sequence = ?",
                        listed.path("count").asLong()).get(0));
    }

    @Test
    void given_checkpoints_when_the_owner_lists_them_with_the_organization_then_200_and_without_it_400() {
        Http.Response listed = http.bearer(owner.accessToken()).get(CHECKPOINTS + "?organization_id=" + organization);
        Http.Response withoutOrganization = http.bearer(owner.accessToken()).get(CHECKPOINTS);
        Http.Response badLimit = http.bearer(platformAdmin.accessToken()).get(CHECKPOINTS + "?limit=0");

        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.data().size()).isPositive();
        assertThat(withoutOrganization.status()).isEqualTo(400);
        assertThat(withoutOrganization.errorCode()).isEqualTo("VALIDATION_FAILED");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.errorCode()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void given_the_checkpoint_key_when_it_signs_an_access_token_then_the_api_refuses_it() throws Exception {
        OctetKeyPair checkpointKey = checkpointPrivateKey();
        SignedJWT genuine = SignedJWT.parse(owner.accessToken());
        assertThat(checkpointKey.getKeyID()).isNotEqualTo(genuine.getHeader().getKeyID());
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(checkpointKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), genuine.getJWTClaimsSet());
        forged.sign(new Ed25519Signer(checkpointKey));

        Http.Response withForged = http.bearer(forged.serialize()).get("/api/v1/auth/me");
        Http.Response withGenuine = http.bearer(owner.accessToken()).get("/api/v1/auth/me");

        assertThat(withGenuine.status()).isEqualTo(200);
        assertThat(withForged.status()).as(withForged.toString()).isEqualTo(401);
        assertThat(withForged.errorCode()).isEqualTo("UNAUTHORIZED");
    }

    // ---- tampering is detected ---------------------------------------------------------------------

    @ParameterizedTest(name = "the last {0}")
    @ValueSource(ints = {1, 5})
    void given_the_last_entries_deleted_when_verifying_then_they_are_missing(int deleted) {
        long last = lastSequence();
        List<String> rows = AuditTrail.strings("SELECT row_to_json(a)::text FROM audit_entries a WHERE sequence > ? "
                + "ORDER BY sequence", last - deleted);
        List<String> ids = AuditTrail.strings("SELECT id FROM audit_entries WHERE sequence > ? ORDER BY global_index",
                last - deleted);
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(connection -> {
            for (String row : rows) {
                Tampering.update(connection, "INSERT INTO audit_entries SELECT * FROM "
                        + "json_populate_record(null::audit_entries, ?::json)", row);
            }
        }))) {
            Tampering.commit(connection -> Tampering.update(connection,
                    "DELETE FROM audit_entries WHERE sequence > ?", last - deleted));

            JsonNode verification = verifyAsAdmin();
            assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("missing").asLong()).isEqualTo(deleted);
            assertThat(texts(verification.path("missing_ids"))).containsExactlyElementsOf(ids);
            assertThat(verification.path("first_broken_id").asText()).isEqualTo(ids.get(0));
            assertThat(verification.path("extra").asLong()).isZero();
            JsonNode asOwner = ok(http.bearer(owner.accessToken()).get(VERIFY + "?organization_id=" + organization));
            assertThat(asOwner.path("verified").asBoolean()).as(asOwner.toString()).isFalse();
        }
        assertRestored();
    }

    @Test
    void given_the_last_entrys_changes_edited_and_its_hash_recomputed_when_verifying_then_it_is_the_first_broken_one() {
        // The entry is newer than the latest checkpoint (none is taken while tampering), so the checkpoint
        // still holds: what finds the edit is the entry no longer saying what its event says.
        try (Tampering tampering = Tampering.undoneBy(() -> { })) {
            ok(http.bearer(owner.accessToken()).patch("/api/v1/organizations/" + organization,
                    Http.json("name", "Evidence after the checkpoint")));
            AuditTrail.awaitCaughtUp();
            untouched = Tampering.dump();
            long last = lastSequence();
            assertThat(last).isGreaterThan(checkpoint.count());
            String id = AuditTrail.strings("SELECT id FROM audit_entries WHERE sequence = ?", last).get(0);
            String original = AuditTrail.strings("SELECT changes FROM audit_entries WHERE sequence = ?", last).get(0);
            String forged = AuditChain.canonical(((ObjectNode) read(original)).put("name", "Nothing to see"));
            assertThat(forged).isNotEqualTo(original);
            try {
                Tampering.commit(connection -> {
                    Tampering.update(connection, "UPDATE audit_entries SET changes = ? WHERE sequence = ?", forged, last);
                    Tampering.rechain(connection, last);
                });
                assertThat(chainLinks()).as("the forger relinked the chain").isTrue();

                JsonNode verification = verifyAsAdmin();
                assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isFalse();
                assertThat(verification.path("first_broken_id").asText()).isEqualTo(id);
                assertThat(verification.path("checkpoint").path("matches_trail").asBoolean()).isTrue();
                assertThat(verification.path("missing").asLong()).isZero();
                assertThat(verification.path("extra").asLong()).isZero();
            } finally {
                Tampering.commit(connection -> {
                    Tampering.update(connection, "UPDATE audit_entries SET changes = ? WHERE sequence = ?", original,
                            last);
                    Tampering.rechain(connection, last);
                });
            }
            assertThat(Tampering.dump()).isEqualTo(untouched);
        }
        assertRestored();
    }

    @Test
    void given_a_forged_entry_with_a_valid_hash_appended_when_verifying_then_it_is_extra_and_the_first_broken_one() {
        long last = lastSequence();
        String lastHash = AuditTrail.strings("SELECT hash FROM audit_entries WHERE sequence = ?", last).get(0);
        long noSuchEvent = AuditTrail.count("SELECT max(globalindex) FROM domainevententry") + 1_000_000;
        AuditEntry forged = new AuditEntry("evt_0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f", last + 1, noSuchEvent,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), organization, null, "user", owner.userId(), null,
                "organization.renamed", "organization", organization, "forged-request", null, null,
                AuditChain.object().put("organization_id", organization).put("name", "Forged"), lastHash, null)
                .withChain(lastHash);
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(connection -> Tampering.update(connection,
                "DELETE FROM audit_entries WHERE id = ?", forged.id())))) {
            Tampering.commit(connection -> Tampering.update(connection, "INSERT INTO audit_entries (sequence, id, "
                            + "global_index, occurred_at, organization_id, actor_type, actor_id, action, resource_type, "
                            + "resource_id, request_id, changes, prev_hash, hash) "
                            + "VALUES (?, ?, ?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    forged.sequence(), forged.id(), forged.globalIndex(), forged.occurredAt().toString(), organization,
                    "user", owner.userId(), forged.action(), forged.resourceType(), forged.resourceId(),
                    forged.requestId(), AuditChain.canonical(forged.changes()), forged.prevHash(), forged.hash()));
            assertThat(chainLinks()).as("the forged entry links to the chain").isTrue();

            JsonNode verification = verifyAsAdmin();
            assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("first_broken_id").asText()).isEqualTo(forged.id());
            assertThat(verification.path("extra").asLong()).isEqualTo(1);
            assertThat(texts(verification.path("extra_ids"))).containsExactly(forged.id());
            assertThat(verification.path("missing").asLong()).isZero();
        }
        assertRestored();
    }

    @Test
    void given_two_entries_swapped_when_verifying_then_the_one_moved_first_is_the_first_broken_one() {
        long second = sequences.get(4);
        long first = second - 1;
        String movedFirst = AuditTrail.strings("SELECT id FROM audit_entries WHERE sequence = ?", second).get(0);
        Tampering.Work swap = connection -> {
            Tampering.update(connection, "UPDATE audit_entries SET sequence = -sequence WHERE sequence IN (?, ?)",
                    first, second);
            Tampering.update(connection, "UPDATE audit_entries SET sequence = ? WHERE sequence = ?", first, -second);
            Tampering.update(connection, "UPDATE audit_entries SET sequence = ? WHERE sequence = ?", second, -first);
        };
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(swap))) {
            Tampering.commit(swap);

            JsonNode verification = verifyAsAdmin();
            assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("first_broken_id").asText()).isEqualTo(movedFirst);
            assertThat(verification.path("missing").asLong()).isZero();
        }
        assertRestored();
    }

    @ParameterizedTest(name = "payload {0}")
    @ValueSource(strings = {"edited", "unreadable"})
    void given_an_events_payload_changed_in_the_event_store_alone_when_verifying_then_its_entry_is_the_first_broken_one(
            String how) {
        long target = sequences.get(3);
        long globalIndex = AuditTrail.count("SELECT global_index FROM audit_entries WHERE sequence = ?", target);
        String id = AuditTrail.strings("SELECT id FROM audit_entries WHERE sequence = ?", target).get(0);
        byte[] original = payload(globalIndex);
        byte[] changed = how.equals("edited")
                ? new String(original, StandardCharsets.UTF_8).replace("Evidence 2", "Edited 2").getBytes(StandardCharsets.UTF_8)
                : "{not json".getBytes(StandardCharsets.UTF_8);
        assertThat(changed).isNotEqualTo(original);
        try {
            AuditTrail.execute("UPDATE domainevententry SET payload = ? WHERE globalindex = ?", changed, globalIndex);

            JsonNode verification = verifyAsAdmin();
            assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("first_broken_id").asText()).isEqualTo(id);
            assertThat(verification.path("missing").asLong()).isZero();
            assertThat(verification.path("extra").asLong()).isZero();
        } finally {
            AuditTrail.execute("UPDATE domainevententry SET payload = ? WHERE globalindex = ?", original, globalIndex);
        }
        assertThat(payload(globalIndex)).isEqualTo(original);
        assertRestored();
    }

    @Test
    void given_an_event_and_its_entry_rewritten_consistently_before_a_checkpoint_when_verifying_then_the_checkpoint_no_longer_matches() {
        long target = sequences.get(2);
        long globalIndex = AuditTrail.count("SELECT global_index FROM audit_entries WHERE sequence = ?", target);
        String originalChanges = AuditTrail.strings("SELECT changes FROM audit_entries WHERE sequence = ?", target).get(0);
        assertThat(originalChanges).contains("\"name\":\"Evidence 1\"");
        byte[] originalPayload = payload(globalIndex);
        assertThat(new String(originalPayload, StandardCharsets.UTF_8)).contains("Evidence 1");
        String atCheckpoint = AuditTrail.strings("SELECT id FROM audit_entries WHERE sequence = ?", checkpoint.count())
                .get(0);
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(connection -> {
            Tampering.update(connection, "UPDATE domainevententry SET payload = ? WHERE globalindex = ?",
                    originalPayload, globalIndex);
            Tampering.update(connection, "UPDATE audit_entries SET changes = ? WHERE sequence = ?",
                    originalChanges, target);
            Tampering.rechain(connection, target);
        }))) {
            Tampering.commit(connection -> {
                Tampering.update(connection, "UPDATE domainevententry SET payload = convert_to(replace("
                        + "convert_from(payload, 'UTF8'), 'Evidence 1', 'Rewritten 1'), 'UTF8') WHERE globalindex = ?",
                        globalIndex);
                Tampering.update(connection, "UPDATE audit_entries SET changes = replace(changes, 'Evidence 1', "
                        + "'Rewritten 1') WHERE sequence = ?", target);
                Tampering.rechain(connection, target);
            });

            JsonNode verification = verifyAsAdmin();
            // Every entry says what its (rewritten) event says and the chain links: only the signed
            // checkpoint shows that the trail it signed is gone.
            assertThat(verification.path("missing").asLong()).as(verification.toString()).isZero();
            assertThat(verification.path("extra").asLong()).isZero();
            assertThat(verification.path("checkpoint").path("signature_valid").asBoolean()).isTrue();
            assertThat(verification.path("checkpoint").path("matches_trail").asBoolean()).isFalse();
            assertThat(verification.path("verified").asBoolean()).isFalse();
            assertThat(verification.path("first_broken_id").asText()).isEqualTo(atCheckpoint);
        }
        assertThat(payload(globalIndex)).isEqualTo(originalPayload);
        assertRestored();
    }

    @Test
    void given_a_checkpoint_row_rewritten_to_the_tampered_head_when_verifying_then_its_signature_is_invalid() {
        long last = lastSequence();
        String original = AuditTrail.strings("SELECT changes FROM audit_entries WHERE sequence = ?", last).get(0);
        String forged = AuditChain.canonical(((ObjectNode) read(original)).put("name", "Nothing to see"));
        try (Tampering tampering = Tampering.undoneBy(() -> Tampering.commit(connection -> {
            Tampering.update(connection, "DELETE FROM audit_checkpoints WHERE signature = 'forged'");
            Tampering.update(connection, "UPDATE audit_entries SET changes = ? WHERE sequence = ?", original, last);
            Tampering.rechain(connection, last);
        }))) {
            Tampering.commit(connection -> {
                Tampering.update(connection, "UPDATE audit_entries SET changes = ? WHERE sequence = ?", forged, last);
                Tampering.rechain(connection, last);
                // The forger signs the new head with what they have: the old signature, or a made-up one.
                Tampering.update(connection, "INSERT INTO audit_checkpoints (position, count, head_hash, at, kid, "
                        + "signature) SELECT position, count, (SELECT hash FROM audit_entries WHERE sequence = ?), "
                        + "at, kid, 'forged' FROM audit_checkpoints ORDER BY id DESC LIMIT 1", last);
            });

            JsonNode verification = verifyAsAdmin();
            assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isFalse();
            assertThat(verification.path("checkpoint").path("signature_valid").asBoolean()).isFalse();
        }
        assertRestored();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** The tampering was undone exactly, the triggers are on again, and the whole trail verifies. */
    private void assertRestored() {
        assertThat(Tampering.dump()).as("the audit table after the tampering was undone").isEqualTo(untouched);
        assertThat(AuditTrail.count("SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('audit_entries'::regclass, "
                + "'audit_checkpoints'::regclass) AND NOT tgisinternal AND tgenabled = 'O'"))
                .as("all four triggers enabled").isEqualTo(4);
        JsonNode verification = verifyAsAdmin();
        assertThat(verification.path("verified").asBoolean()).as(verification.toString()).isTrue();
    }

    private JsonNode verifyAsAdmin() {
        return ok(http.bearer(platformAdmin.accessToken()).get(VERIFY));
    }

    private static long lastSequence() {
        return AuditTrail.count("SELECT max(sequence) FROM audit_entries");
    }

    /** Whether every entry's prev_hash is its predecessor's hash (what a careful forger keeps true). */
    private static boolean chainLinks() {
        return AuditTrail.count("SELECT count(*) FROM audit_entries a JOIN audit_entries b "
                + "ON b.sequence = a.sequence + 1 WHERE b.prev_hash <> a.hash") == 0;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static JsonNode read(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] payload(long globalIndex) {
        try (Connection connection = TestDatabase.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT payload FROM domainevententry WHERE globalindex = ?")) {
            statement.setLong(1, globalIndex);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checkpoint key's private half, opened with the master key as the platform does. */
    private OctetKeyPair checkpointPrivateKey() throws Exception {
        try (Connection connection = TestDatabase.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT kid, sealed_private_jwk FROM audit_checkpoint_keys ORDER BY created_at, kid LIMIT 1");
             ResultSet row = statement.executeQuery()) {
            row.next();
            return OctetKeyPair.parse(new String(masterKey.open(row.getBytes(2),
                    AuditCheckpoints.SEAL_CONTEXT + row.getString(1)), StandardCharsets.UTF_8));
        }
    }
}
