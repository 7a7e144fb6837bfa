package dev.baserdb.kernel.eventlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.axonframework.common.DateTimeUtils;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parts of an event read as the JDBC event store keeps them, without Axon's deserializers, where
 * that gives the very values those would: a few metadata values, and the timestamp.
 */
public final class SerializedEvents {

    private SerializedEvents() {
    }

    /**
     * The values of {@code keys} in serialized metadata (a JSON object), the other keys only parsed;
     * {@code null} when this cannot vouch that Axon's metadata deserializer gives the same text for
     * each of them: a value of such a key that is not a string or null, a duplicate key, or anything
     * but one JSON object. A key whose value is null is left out, as it is absent.
     */
    public static Map<String, String> textMetaData(JsonFactory json, byte[] metaData, Set<String> keys) {
        if (metaData == null) {
            return null;
        }
        try (JsonParser parser = json.createParser(metaData)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, String> values = new HashMap<>(8);
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (keys.contains(key)) {
                    if (value == JsonToken.VALUE_STRING) {
                        values.put(key, parser.getText());
                    } else if (value != JsonToken.VALUE_NULL) {
                        return null;
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return token == JsonToken.END_OBJECT ? values : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * An event's stored timestamp as {@code DateTimeUtils.parseInstant} reads it, quicker for the
     * form Axon writes ({@code 2026-11-29T10:00:00.123Z}); any other text is left to it.
     */
    public static Instant timestamp(String text) {
        if (text.length() == 24 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.' && text.charAt(23) == 'Z') {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int millis = digits(text, 20, 23);
            if ((year | month | day | hour | minute | second | millis) >= 0) {
                try {
                    return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
                            .toInstant(ZoneOffset.UTC);
                } catch (DateTimeException notADate) {
                    // e.g. a leap second: the full parser decides
                }
            }
        }
        return DateTimeUtils.parseInstant(text);
    }

    /** The decimal number of text[from, to) written with ASCII digits only, or -1. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
