package dev.baserdb.kernel.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.kernel.eventlog.SerializedEvents;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code changes} of an audit entry read straight from the event's serialized payload (the
 * JSON in the event store), without deserializing it into the event class and serializing that
 * again — the costly half of deriving an entry, which {@code /audit/verify} and a replay do for
 * every event.
 *
 * <p>The result must be exactly what {@link AuditDerivation#changesOf} gives for the deserialized
 * event, so this reads only payloads it can vouch for and answers {@code null} for anything else,
 * and the caller then deserializes as before. It vouches for a payload when its class is a record
 * made only of types whose JSON round trip it knows (text, ints, longs, booleans, ISO instants,
 * enums and id records with a {@code @JsonValue}, lists and nested records of these, and
 * free-form {@code ObjectNode}s such as row values) and the JSON is in exactly the form the event
 * serializer writes: the record's fields, each once, each of its type, nothing else. Record fields
 * are renamed as the changes mapper names them (snake_case); the contents of a free-form
 * {@code ObjectNode} keep their keys and are read by the event serializer's own mapper, as its
 * deserializer would read them. Anything unusual — an unknown or missing field, a duplicate key,
 * a null where the event class would refuse one, an instant or enum written differently, a type
 * or Jackson annotation not listed here — falls back to deserialization, whose verdict stands, so
 * an edited payload is judged exactly as strictly as before. {@code AuditDerivationTest} (api
 * module) checks both ways give the same entry for every event class.
 */
public final class AuditPayloads {

    /** The event serializer's mapper, refusing duplicate keys (a payload with one falls back). */
    private final ObjectReader reader;
    private final ObjectMapper eventMapper;
    private final ClassValue<Convert> shapes = new ClassValue<>() {
        @Override
        protected Convert computeValue(Class<?> type) {
            try {
                return type.isRecord() && !isId(type) ? record(type) : null;
            } catch (RuntimeException unsupported) {
                return null;
            }
        }
    };

    private AuditPayloads(ObjectMapper eventMapper) {
        this.eventMapper = eventMapper;
        this.reader = eventMapper == null ? null
                : eventMapper.reader().withFeatures(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** Reads payloads as {@code eventSerializer} wrote them; a serializer other than Jackson's always falls back. */
    public static AuditPayloads of(Serializer eventSerializer) {
        return new AuditPayloads(eventSerializer instanceof JacksonSerializer jackson ? jackson.getObjectMapper() : null);
    }

    /**
     * The changes of an event: from its serialized JSON when this can vouch for it, otherwise from
     * {@code payload} (which deserializes it) as {@link AuditDerivation#changesOf} does.
     */
    public JsonNode changes(Class<?> payloadType, byte[] json, Supplier<?> payload) {
        JsonNode changes = fromJson(payloadType, json);
        return changes != null ? changes : AuditDerivation.changesOf(payload.get());
    }

    /** The changes read from the JSON, redacted; {@code null} when this cannot vouch that deserializing gives the same. */
    public JsonNode fromJson(Class<?> payloadType, byte[] json) {
        if (reader == null || json == null || payloadType == null) {
            return null;
        }
        Convert shape = shapes.get(payloadType);
        if (shape == null) {
            return null;
        }
        JsonNode tree;
        try {
            tree = reader.readTree(json);
        } catch (java.io.IOException | RuntimeException unreadable) {
            return null;
        }
        JsonNode changes = tree == null ? null : shape.apply(tree);
        return changes == null ? null : AuditChain.redact(changes);
    }

    /** The metadata keys an audit entry records (see {@link AuditDerivation}). */
    private static final java.util.Set<String> AUDITED_META = java.util.Set.of("actor_type", "actor_id",
            "impersonator_id", "request_id", "ip", "user_agent");

    /**
     * The metadata values an audit entry records, read from the serialized metadata (a JSON object)
     * without deserializing all of it; {@code null} when this cannot vouch that Axon's metadata
     * deserializer gives the same text for each of them: a value of such a key that is not a string
     * or null, a duplicate key, or anything but one JSON object. The other keys are only parsed.
     */
    public Map<String, String> auditedMetaData(byte[] json) {
        return reader == null ? null : SerializedEvents.textMetaData(eventMapper.getFactory(), json, AUDITED_META);
    }

    /** Whether payloads of this class are read from their JSON (false: they are always deserialized). */
    public boolean readsFromJson(Class<?> payloadType) {
        return reader != null && shapes.get(payloadType) != null;
    }

    /** Turns a JSON value of one declared type into what the changes mapper writes for it; {@code null}: cannot vouch. */
    private interface Convert {
        JsonNode apply(JsonNode value);
    }

    private static final PropertyNamingStrategies.NamingBase CHANGES_NAMES =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private Convert record(Class<?> type) {
        if (hasJacksonAnnotation(type)) {
            throw new IllegalArgumentException(type + " has Jackson annotations");
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, Integer> positions = new HashMap<>();
        String[] outNames = new String[components.length];
        Convert[] converts = new Convert[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            if (hasJacksonAnnotation(component) || hasJacksonAnnotation(component.getAccessor())) {
                throw new IllegalArgumentException(component + " has Jackson annotations");
            }
            positions.put(component.getName(), i);
            outNames[i] = CHANGES_NAMES.translate(component.getName());
            converts[i] = convert(component.getGenericType());
        }
        checkNoOtherProperties(type, components);
        return value -> {
            if (!value.isObject() || value.size() != components.length) {
                return null;
            }
            JsonNode[] out = new JsonNode[components.length];
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                Integer position = positions.get(field.getKey());
                if (position == null || out[position] != null) {
                    return null;
                }
                JsonNode converted = converts[position].apply(field.getValue());
                if (converted == null) {
                    return null;
                }
                out[position] = converted;
            }
            ObjectNode changes = AuditChain.object();
            for (int i = 0; i < out.length; i++) {
                changes.set(outNames[i], out[i]);
            }
            return changes;
        };
    }

    private Convert convert(Type type) {
        if (type == String.class) {
            return value -> value.isTextual() || value.isNull() ? value : null;
        }
        if (type == int.class) {
            return value -> value.isInt() ? value : null;
        }
        if (type == Integer.class) {
            return value -> value.isInt() || value.isNull() ? value : null;
        }
        if (type == long.class) {
            return value -> value.isInt() || value.isLong() ? value : null;
        }
        if (type == Long.class) {
            return value -> value.isInt() || value.isLong() || value.isNull() ? value : null;
        }
        if (type == boolean.class) {
            return value -> value.isBoolean() ? value : null;
        }
        if (type == Boolean.class) {
            return value -> value.isBoolean() || value.isNull() ? value : null;
        }
        if (type == Instant.class) {
            return AuditPayloads::instant;
        }
        if (type == ObjectNode.class) {
            // Read by the event serializer's mapper exactly as its ObjectNode deserializer reads it;
            // the changes mapper copies such a node as it is, keys and number types unchanged.
            return value -> value.isObject() ? value : null;
        }
        if (type instanceof Class<?> plain && plain.isEnum()) {
            return enumeration(plain);
        }
        if (type instanceof Class<?> plain && isId(plain)) {
            return value -> value.isTextual() ? value : null;
        }
        if (type instanceof Class<?> plain && plain.isRecord()) {
            return record(plain);
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            Convert element = convert(list.getActualTypeArguments()[0]);
            return value -> {
                if (!value.isArray()) {
                    return null;
                }
                ArrayNode out = JsonNodeFactory.instance.arrayNode(value.size());
                for (JsonNode item : value) {
                    JsonNode converted = item.isNull() ? null : element.apply(item);
                    if (converted == null) {
                        return null;
                    }
                    out.add(converted);
                }
                return out;
            };
        }
        throw new IllegalArgumentException("no known JSON round trip for " + type);
    }

    /** An instant as Jackson writes it (ISO-8601, {@code Instant#toString}); any other spelling falls back. */
    private static JsonNode instant(JsonNode value) {
        if (value.isNull()) {
            return value;
        }
        if (!value.isTextual()) {
            return null;
        }
        String text = value.textValue();
        try {
            return DateTimeFormatter.ISO_INSTANT.format(Instant.parse(text)).equals(text) ? value : null;
        } catch (RuntimeException unparsable) {
            return null;
        }
    }

    /**
     * An enum: for each constant, the text the event serializer writes for it must read back as
     * that constant, and is then replaced by the text the changes mapper writes. Other spellings
     * (which a lenient {@code @JsonCreator} might accept) fall back.
     */
    private Convert enumeration(Class<?> type) {
        Map<String, JsonNode> wire = new HashMap<>();
        for (Object constant : type.getEnumConstants()) {
            JsonNode written = eventMapper.valueToTree(constant);
            JsonNode shown = AuditDerivation.changesMapper().valueToTree(constant);
            if (!written.isTextual() || !shown.isTextual()) {
                throw new IllegalArgumentException(type + " is not written as text");
            }
            try {
                if (eventMapper.treeToValue(written, type) != constant) {
                    throw new IllegalArgumentException(type + " does not read back " + constant);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
            wire.put(written.textValue(), shown);
        }
        return value -> value.isTextual() ? wire.get(value.textValue()) : null;
    }

    /**
     * An id: a record of one text, written as that text ({@code @JsonValue}) and made from it by a
     * static {@code @JsonCreator} (every class of {@code dev.baserdb.kernel.id}). A null id falls back.
     */
    private static boolean isId(Class<?> type) {
        if (!type.isRecord() || type.getRecordComponents().length != 1
                || type.getRecordComponents()[0].getType() != String.class) {
            return false;
        }
        RecordComponent value = type.getRecordComponents()[0];
        boolean writtenAsText = value.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonValue.class)
                || value.getAccessor().isAnnotationPresent(com.fasterxml.jackson.annotation.JsonValue.class);
        boolean madeFromText = false;
        for (Method method : type.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers())
                    && method.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonCreator.class)
                    && method.getParameterCount() == 1 && method.getParameterTypes()[0] == String.class
                    && method.getReturnType() == type) {
                madeFromText = true;
            }
        }
        return writtenAsText && madeFromText;
    }

    private static boolean hasJacksonAnnotation(AnnotatedElement element) {
        if (element == null) {
            return false;
        }
        for (Annotation annotation : element.getAnnotations()) {
            if (annotation.annotationType().getName().startsWith("com.fasterxml.jackson.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A public getter-like method besides the components would be written as one more property by
     * both mappers; such a class is not read here.
     */
    private static void checkNoOtherProperties(Class<?> type, RecordComponent[] components) {
        List<String> accessors = new ArrayList<>();
        for (RecordComponent component : components) {
            accessors.add(component.getAccessor().getName());
        }
        for (Method method : type.getMethods()) {
            String name = method.getName();
            boolean getterLike = method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                    && method.getDeclaringClass() != Object.class && method.getDeclaringClass() != Record.class
                    && ((name.startsWith("get") && name.length() > 3) || (name.startsWith("is") && name.length() > 2));
            if (getterLike && !accessors.contains(name)) {
                throw new IllegalArgumentException(type + " has a property " + name + " besides its components");
            }
        }
    }
}
