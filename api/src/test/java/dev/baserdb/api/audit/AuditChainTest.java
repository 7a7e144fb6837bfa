package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The published hash rule of the audit chain (AuditChain), and the shortcuts verify takes through it. */
class AuditChainTest {

    @Test
    void given_strings_with_and_without_escapes_when_canonical_then_only_quote_backslash_and_controls_are_escaped() {
        ObjectNode node = AuditChain.object().put("b", "plain é €").put("a", "q\"b\\c\n\u0001");

        assertThat(AuditChain.canonical(node)).isEqualTo("{\"a\":\"q\\\"b\\\\c\\u000a\\u0001\",\"b\":\"plain é €\"}");
    }

    @Test
    void given_numbers_when_canonical_then_integers_are_written_exactly_and_decimals_as_strings() {
        ObjectNode node = AuditChain.object().put("int", 5).put("long", -9_007_199_254_740_993L)
                .put("big", new java.math.BigInteger("1180591620717411303424")).put("short", (short) 7)
                .put("decimal", new java.math.BigDecimal("12.50"));

        assertThat(AuditChain.canonical(node)).isEqualTo(
                "{\"big\":1180591620717411303424,\"decimal\":\"12.50\",\"int\":5,\"long\":-9007199254740993,\"short\":7}");
    }

    @Test
    void given_changes_in_canonical_form_when_hashing_an_entry_with_them_then_the_hash_is_the_published_one() {
        JsonNode changes = AuditChain.object().put("name", "Renamed \"x\"").put("organization_id", "org_1")
                .set("nested", AuditChain.object().put("z", 1).put("a", true));
        AuditEntry entry = new AuditEntry("evt_1", 7, 9, Instant.parse("2026-11-29T10:00:00.123Z"), "org_1", null,
                "user", "usr_1", null, "organization.renamed", "organization", "org_1", "req", "sealed-ip", null,
                changes, "ab".repeat(32), null);

        assertThat(entry.expectedHash(AuditChain.canonical(changes))).isEqualTo(entry.expectedHash())
                .isEqualTo(AuditChain.hash(entry.prevHash(), AuditChain.canonical(entry.hashedJson())));
    }

    @Test
    void given_field_names_when_redacting_then_exactly_those_the_secret_pattern_matches_are_redacted() {
        Pattern secret = Pattern.compile(".*(_hash|password|secret|private_key)$");
        for (String name : List.of("password_hash", "password", "client_secret", "private_key", "name", "hash",
                "secrets", "x_hash\n", "a\nb_hash", "token_hash\r\n", "secret\u2028")) {
            ObjectNode node = AuditChain.object().put(name, "value");

            AuditChain.redact(node);

            assertThat(node.get(name).asText()).as(name)
                    .isEqualTo(secret.matcher(name).matches() ? "[redacted]" : "value");
        }
    }
}
