package dev.baserdb.api.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns stored event payloads (JSON, as Axon's Jackson serializer wrote them) back into event
 * records. Only BaserDB's own message types are read: an archive line naming any other class is
 * refused rather than instantiated.
 */
@Component
class EventPayloads {

    private static final String OWN_TYPES = "dev.baserdb.kernel.";

    private final ObjectMapper axonJson;

    EventPayloads(@Qualifier("defaultAxonObjectMapper") ObjectMapper axonJson) {
        this.axonJson = axonJson;
    }

    /** A payload as stored (UTF-8 JSON bytes). */
    Object read(String type, byte[] payload) {
        try {
            return axonJson.readValue(payload, typeOf(type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable " + type + " payload: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Object read(String type, JsonNode payload) {
        try {
            return axonJson.treeToValue(payload, typeOf(type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable " + type + " payload: " + e.getOriginalMessage(), e);
        }
    }

    /** Types already looked up: a restore reads the same few types a hundred thousand times. */
    private final Map<String, Class<?>> types = new ConcurrentHashMap<>();

    private Class<?> typeOf(String type) {
        if (type == null) {
            throw new IllegalStateException("Not a BaserDB event type: null");
        }
        Class<?> known = types.get(type);
        if (known != null) {
            return known;
        }
        Class<?> loaded = load(type);
        types.put(type, loaded);
        return loaded;
    }

    private static Class<?> load(String type) {
        if (!type.startsWith(OWN_TYPES)) {
            throw new IllegalStateException("Not a BaserDB event type: " + type);
        }
        try {
            return Class.forName(type, false, EventPayloads.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Unknown event type " + type, e);
        }
    }
}
