package dev.baserdb.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baserdb.api.support.ApiTest;
import dev.baserdb.kernel.audit.AuditChain;
import dev.baserdb.kernel.audit.AuditDerivation;
import dev.baserdb.kernel.audit.AuditPayloads;
import dev.baserdb.kernel.data.RowEvents;
import dev.baserdb.kernel.eventlog.SerializedEvents;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deriving an audit entry from an event's serialized JSON ({@link AuditPayloads}, what verify and
 * the audit projection do) gives exactly the entry that deserializing the event gives
 * ({@link AuditDerivation#changesOf}, the rule as first written): for every event class of the
 * application, with varied values (nested row values, secrets at any depth, sealed and erased
 * personal data, escapes, instants of every precision), and for payloads edited in the event store
 * the shortcut either gives the same entry or declines, so verify is exactly as strict as before.
 */
@ApiTest
class AuditDerivationTest {

    private static final MetaData META = MetaData.from(Map.of("actor_type", "user", "actor_id", "usr_1",
            "request_id", "req_1", "ip", "pd1:usr_1:c2VhbGVk", "user_agent", "pd1:usr_1:YWdlbnQ="));

    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;

    /** Every class the application stores as an event: the records marked with Axon's {@code @Revision}. */
    static List<Class<?>> eventClasses() throws ClassNotFoundException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(org.springframework.beans.factory.annotation.AnnotatedBeanDefinition d) {
                return true;
            }
        };
        scanner.addIncludeFilter(new AnnotationTypeFilter(Revision.class));
        List<Class<?>> classes = new ArrayList<>();
        for (BeanDefinition definition : scanner.findCandidateComponents("dev.baserdb")) {
            classes.add(Class.forName(definition.getBeanClassName()));
        }
        return classes;
    }

    @Test
    void given_every_event_class_with_varied_values_when_derived_from_its_json_then_the_entry_is_the_deserialized_events() throws Exception {
        List<Class<?>> classes = eventClasses();
        assertThat(classes).as("event classes found").hasSizeGreaterThan(40).contains(RowEvents.RowInserted.class);
        AuditPayloads payloads = AuditPayloads.of(eventSerializer);
        for (Class<?> type : classes) {
            assertThat(payloads.readsFromJson(type)).as(type + " is read from its JSON (else verify deserializes it: slower)")
                    .isTrue();
            Random random = new Random(type.getName().hashCode());
            for (int sample = 0; sample < 25; sample++) {
                Object event = sample(type, random, sample);
                byte[] json = eventSerializer.serialize(event, byte[].class).getData();

                JsonNode fromJson = payloads.fromJson(type, json);

                assertThat(fromJson).as(type.getSimpleName() + " " + new String(json, StandardCharsets.UTF_8)).isNotNull();
                assertSameEntry(type, json, fromJson);
            }
        }
    }

    @Test
    void given_row_values_with_nested_objects_numbers_and_erased_personal_data_when_derived_from_json_then_keys_and_numbers_are_kept() {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        values.put("camelCaseKey", "kept as it is").put("price", new BigDecimal("12.50")).put("ratio", 0.1)
                .put("big", new BigInteger("123456789012345678901234567890")).put("owner_email", "[erased]")
                .put("contact", "pd1:usr_9:AAAA").put("api_secret", "s3cr3t").putNull("nothing");
        values.putObject("nestedObject").put("innerKey", 1).put("password", "x").putArray("list").add(1.5).add("two");
        Object event = new RowEvents.RowInserted("row_1", dev.baserdb.kernel.id.TableId.of("tbl_1"),
                dev.baserdb.kernel.id.ProjectId.of("prj_1"), dev.baserdb.kernel.id.OrganizationId.of("org_1"), values);
        byte[] json = eventSerializer.serialize(event, byte[].class).getData();

        JsonNode fromJson = AuditPayloads.of(eventSerializer).fromJson(RowEvents.RowInserted.class, json);

        assertThat(fromJson).isNotNull();
        assertSameEntry(RowEvents.RowInserted.class, json, fromJson);
        assertThat(AuditChain.canonical(fromJson.path("values"))).isEqualTo("{\"api_secret\":\"[redacted]\","
                + "\"big\":123456789012345678901234567890,\"camelCaseKey\":\"kept as it is\","
                + "\"contact\":\"pd1:usr_9:AAAA\",\"nestedObject\":{\"innerKey\":1,\"list\":[\"1.5\",\"two\"],"
                + "\"password\":\"[redacted]\"},\"nothing\":null,\"owner_email\":\"[erased]\",\"price\":\"12.5\","
                + "\"ratio\":\"0.1\"}");
    }

    @Test
    void given_payloads_edited_in_the_event_store_when_derived_from_json_then_it_gives_the_deserialized_entry_or_declines() throws Exception {
        AuditPayloads payloads = AuditPayloads.of(eventSerializer);
        List<UnaryOperator<String>> edits = List.of(
                json -> json.replaceFirst("\\{", "{\"unknown\":1,"),
                json -> json.replaceFirst("\\{", "{\"organizationId\":\"org_dup\","),
                json -> json.replaceFirst("\"organizationId\":\"[^\"]*\",?", ""),
                json -> json.replaceFirst("\"organizationId\":\"[^\"]*\"", "\"organizationId\":null"),
                json -> json.replaceFirst("\"organizationId\":\"[^\"]*\"", "\"organizationId\":42"),
                json -> json.replace("\"owner\"", "\"OWNER\"").replace("\"admin\"", "\"Admin\""),
                json -> json.replace("\"scope_missing\"", "\"SCOPE_MISSING\""),
                json -> json.replaceAll("\"(20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(\\.\\d+)?Z\"", "\"$1.000Z\""),
                json -> json.replaceAll("\"(20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(\\.\\d+)?Z\"", "\"$1+01:00\""),
                json -> json.replaceAll("\"(20\\d\\d-\\d\\d-\\d\\dT[^\"]*)\"", "1700000000"),
                json -> json.replaceAll(":(\\d+)([,}])", ":\"$1\"$2"),
                json -> json.replaceAll(":(true|false)", ":\"$1\""),
                json -> json.replaceAll("\\[\"", "[null,\""),
                json -> json.replaceAll("\\[[^\\[\\]{}]*\\]", "null"),
                json -> json.replaceAll("\\[[^\\[\\]{}]*\\]", "\"single\""),
                json -> json.replace("\"values\":{", "\"values\":{\"k\":1,\"k\":2,"),
                json -> json.replace("\"values\":{", "\"values\":[{").replace("},\"", "}],\""),
                json -> json.replace("\"name\":", "\"Name\":"),
                json -> json + " trailing",
                json -> json.substring(0, json.length() - 1));
        int declined = 0;
        int same = 0;
        for (Class<?> type : eventClasses()) {
            Random random = new Random(type.getName().hashCode() + 7);
            for (int sample = 0; sample < 4; sample++) {
                String original = new String(eventSerializer.serialize(sample(type, random, sample), byte[].class).getData(),
                        StandardCharsets.UTF_8);
                for (UnaryOperator<String> edit : edits) {
                    String edited = edit.apply(original);
                    if (edited.equals(original)) {
                        continue;
                    }
                    byte[] json = edited.getBytes(StandardCharsets.UTF_8);

                    JsonNode fromJson = payloads.fromJson(type, json);

                    if (fromJson == null) {
                        declined++;
                        continue;
                    }
                    same++;
                    assertSameEntry(type, json, fromJson);
                }
            }
        }
        assertThat(declined).as("edits declined").isPositive();
        assertThat(same).as("edits that still read the same").isPositive();
    }

    @Test
    void given_stored_metadata_when_its_audited_values_are_read_from_json_then_they_are_the_deserialized_metadatas_or_it_declines() {
        AuditPayloads payloads = AuditPayloads.of(eventSerializer);
        List<String> stored = List.of(
                "{\"actor_id\":\"usr_1\",\"actor_type\":\"user\",\"request_id\":\"r\",\"ip\":\"pd1:usr_1:AA==\",\"user_agent\":\"x \\\"y\\\" é\"}",
                "{\"actor_type\":\"service_key\",\"actor_id\":null,\"traceId\":\"t\",\"nested\":{\"ip\":5,\"a\":[1,{\"b\":null}]}}",
                "{}",
                "{\"impersonator_id\":\"usr_2\",\"correlationId\":\"c\",\"number\":12.5,\"flag\":true}",
                "{\"actor_id\":5}",
                "{\"actor_id\":true}",
                "{\"actor_id\":{\"id\":\"usr_1\"}}",
                "{\"actor_id\":\"a\",\"actor_id\":\"b\"}",
                "[\"actor_id\"]",
                "{\"actor_id\":\"a\"",
                "{\"actor_id\":\"a\"} trailing",
                "null");
        int read = 0;
        for (String json : stored) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

            Map<String, String> audited = payloads.auditedMetaData(bytes);

            if (audited == null) {
                continue;
            }
            read++;
            MetaData metaData = eventSerializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class,
                    MetaData.class.getName(), null));
            for (String key : List.of("actor_type", "actor_id", "impersonator_id", "request_id", "ip", "user_agent")) {
                Object value = metaData.get(key);
                assertThat(audited.get(key)).as(json + " " + key).isEqualTo(value == null ? null : value.toString());
            }
        }
        assertThat(read).isBetween(4, stored.size() - 5);
    }

    @Test
    void given_stored_timestamps_when_read_quickly_then_they_are_the_instants_axon_reads() {
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong() % 4_000_000_000L, random.nextInt(1_000_000_000));
            String text = org.axonframework.common.DateTimeUtils.formatInstant(at);

            assertThat(SerializedEvents.timestamp(text)).as(text)
                    .isEqualTo(org.axonframework.common.DateTimeUtils.parseInstant(text));
        }
        for (String text : List.of("2026-11-29T10:00:00Z", "2026-11-29T10:00:00.1Z", "2026-11-29T10:00:00.123456Z",
                "2026-11-29T10:00:00.123+01:00", "2016-12-31T23:59:60.000Z", "2026-02-29T10:00:00.000Z",
                "2026-1a-29T10:00:00.000Z", "+12026-11-29T10:00:00Z")) {
            Object quick;
            Object axon;
            try {
                quick = SerializedEvents.timestamp(text);
            } catch (RuntimeException e) {
                quick = e.getClass();
            }
            try {
                axon = org.axonframework.common.DateTimeUtils.parseInstant(text);
            } catch (RuntimeException e) {
                axon = e.getClass();
            }
            assertThat(quick).as(text).isEqualTo(axon);
        }
    }

    /**
     * The entry derived with {@code fromJson} as changes equals the one derived from the event
     * deserialized by the event serializer, field for field and hash for hash; the deserialization
     * must succeed (a payload it refuses must never be read from its JSON).
     */
    private void assertSameEntry(Class<?> type, byte[] json, JsonNode fromJson) {
        SerializedObject<byte[]> serialized = new SimpleSerializedObject<>(json, byte[].class, type.getName(), "1");
        Object payload;
        try {
            payload = eventSerializer.deserialize(serialized);
        } catch (RuntimeException e) {
            throw new AssertionError("read from JSON, but the event serializer refuses it: "
                    + new String(json, StandardCharsets.UTF_8), e);
        }
        assertThat(payload).isInstanceOf(type);
        GenericDomainEventMessage<?> event = new GenericDomainEventMessage<>("Aggregate", "agg_1", 3, payload, META,
                "0b0f4a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", Instant.parse("2026-11-29T10:00:00.123456Z"));

        AuditDerivation.Derived deserialized = AuditDerivation.derive(event, 7, 5, "ab".repeat(32));
        AuditDerivation.Derived fromPayload = AuditDerivation.derive(event, fromJson, 7, 5, "ab".repeat(32));

        assertThat(fromPayload.canonicalChanges()).as(new String(json, StandardCharsets.UTF_8))
                .isEqualTo(deserialized.canonicalChanges());
        assertThat(fromPayload.entry()).usingRecursiveComparison().ignoringFields("changes")
                .isEqualTo(deserialized.entry());
        assertThat(fromPayload.entry().hash()).isEqualTo(deserialized.entry().expectedHash());
    }

    // ---- samples ------------------------------------------------------------------------------

    private static final List<String> TEXTS = List.of("plain", "Mixed Case", "quote \" and \\ backslash",
            "line\nbreak\ttab\u0001", "unicode é € 😀", "", "pd1:usr_1:AbCdEf0123==", "[erased]",
            "camelCase", "UPPER");

    static Object sample(Class<?> type, Random random, int sample) throws ReflectiveOperationException {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(components[i].getGenericType(), random, sample, 0);
        }
        return type.getDeclaredConstructor(types).newInstance(values);
    }

    private static Object value(Type type, Random random, int sample, int depth) throws ReflectiveOperationException {
        if (type == String.class) {
            return sample % 7 == 3 ? null : text(random);
        }
        if (type == int.class || type == Integer.class) {
            return sample % 5 == 1 && type == Integer.class ? null : random.nextInt() >> random.nextInt(31);
        }
        if (type == long.class || type == Long.class) {
            return random.nextLong() >> random.nextInt(63);
        }
        if (type == boolean.class || type == Boolean.class) {
            return random.nextBoolean();
        }
        if (type == Instant.class) {
            if (sample % 6 == 5) {
                return null;
            }
            Instant at = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(200_000_000));
            return switch (sample % 4) {
                case 0 -> at;
                case 1 -> at.plusMillis(random.nextInt(1000));
                case 2 -> at.plusNanos(random.nextInt(1_000_000_000));
                default -> at.plusNanos(1000L * random.nextInt(1_000_000));
            };
        }
        if (type == ObjectNode.class) {
            return values(random, depth);
        }
        if (type instanceof Class<?> plain && plain.isEnum()) {
            Object[] constants = plain.getEnumConstants();
            return constants[(sample + random.nextInt(constants.length)) % constants.length];
        }
        if (type instanceof Class<?> plain && plain.isRecord()) {
            if (plain.getRecordComponents().length == 1 && plain.getRecordComponents()[0].getType() == String.class) {
                return plain.getMethod("of", String.class).invoke(null, "id_" + Long.toHexString(random.nextLong())
                        + (sample % 3 == 0 ? " with \"odd\" text é" : ""));
            }
            return sample(plain, random, sample + depth + 1);
        }
        if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            List<Object> items = new ArrayList<>();
            int size = sample % 4 == 0 ? 0 : 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) {
                items.add(value(list.getActualTypeArguments()[0], random, sample + i, depth + 1));
            }
            items.removeIf(java.util.Objects::isNull);
            return items;
        }
        throw new IllegalArgumentException("no sample for " + type);
    }

    private static String text(Random random) {
        return TEXTS.get(random.nextInt(TEXTS.size())) + (random.nextBoolean() ? "" : " " + random.nextInt(1000));
    }

    /** Free-form row values: camelCase and secret-named keys, every kind of number, nesting, nulls, sealed data. */
    private static ObjectNode values(Random random, int depth) {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        values.put("title", text(random)).put("amount", random.nextInt()).put("total", random.nextLong())
                .put("price", new BigDecimal(BigInteger.valueOf(random.nextInt(100_000)), random.nextInt(4)))
                .put("ratio", random.nextDouble() * Math.pow(10, random.nextInt(30) - 15))
                .put("huge", new BigInteger(90, random)).put("done", random.nextBoolean())
                .put("camelCaseColumn", "kept").put("email", "[erased]").put("sealed", "pd1:usr_2:QUJD")
                .put("password_hash", "secret!").putNull("empty");
        if (depth < 2) {
            values.set("nestedObject", values(random, depth + 1));
            values.putArray("tags").add("a").add(1).add(2.5).addNull().addObject().put("client_secret", "s");
        }
        return values;
    }
}
