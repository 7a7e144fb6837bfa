package dev.baserdb.kernel.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit hash chain, specified here so that anyone can recompute it.
 *
 * <p><b>Canonical JSON</b> of a value: objects with their keys sorted by Unicode code point, no
 * white space anywhere, strings escaped as JSON requires (only {@code "}, {@code \}, and control
 * characters, the latter as {@code \}{@code uXXXX} with lower-case hex), numbers as integers, {@code null}, {@code true},
 * {@code false} as such; encoded as UTF-8.
 *
 * <p><b>Entry</b>: the JSON object of an audit entry with every field of API.md §10 except
 * {@code hash} ({@code id, sequence, occurred_at, organization_id, project_id, actor:{type, id,
 * impersonator_id}, action, resource:{type, id}, request_id, ip, user_agent, changes, prev_hash}).
 *
 * <p><b>Hash</b>: {@code hash = lower-case hex SHA-256( UTF-8(prev_hash) || canonical JSON of the
 * entry )}; the first entry's {@code prev_hash} is {@link #GENESIS}. One chain for the whole
 * deployment, ordered by {@code sequence}.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    /** Field names whose values are secrets: redacted before anything is recorded or shown. */
    private static final Pattern SECRET = Pattern.compile(".*(_hash|password|secret|private_key)$");
    private static final List<String> SECRET_ENDINGS = List.of("_hash", "password", "secret", "private_key");
    /** One digest per thread: MessageDigest.getInstance looks providers up on every call. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private AuditChain() {
    }

    public static String hash(String prevHash, String canonicalEntry) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
        sha.update(canonicalEntry.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    public static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder(512);
        write(node, out);
        return out.toString();
    }

    /** Replaces the value of every secret-named field, at any depth, with "[redacted]". */
    public static JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (secret(field.getKey()) && !field.getValue().isNull()) {
                    object.put(field.getKey(), "[redacted]");
                } else {
                    redact(field.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(AuditChain::redact);
        }
        return node;
    }

    /** {@link #SECRET} matches, without running a regular expression for ordinary names (verify derives every entry). */
    private static boolean secret(String fieldName) {
        for (int i = 0; i < fieldName.length(); i++) {
            char c = fieldName.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                // around line terminators the pattern's "." and "$" are not plain "ends with"
                return SECRET.matcher(fieldName).matches();
            }
        }
        for (String ending : SECRET_ENDINGS) {
            if (fieldName.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
            node.fields().forEachRemaining(fields::add);
            fields.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(fields.get(i).getKey(), out);
                out.append(':');
                write(fields.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw) {
            // A part already in canonical form (see AuditEntry#hashedJson(String)), written as it is.
            out.append(raw.rawValue());
        } else if (node.isTextual()) {
            string(node.asText(), out);
        } else if (node.isBoolean()) {
            out.append(node.asBoolean());
        } else if (node.isInt() || node.isLong()) {
            out.append(node.longValue());
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            // Decimals are written as strings of their exact value so every platform agrees.
            string(node.decimalValue().toPlainString(), out);
        } else {
            string(node.asText(), out);
        }
    }

    /** A string (or {@code null}) as canonical JSON. */
    static void string(String value, StringBuilder out) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        if (plain(value)) {
            out.append(value).append('"');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether a string needs no escaping (the common case, written in one go). */
    private static boolean plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
