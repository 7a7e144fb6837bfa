package dev.baserdb.api.platform.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Equal metadata serialized once per thread, with Jackson's own bytes; anything else as before. */
class RepeatedMetaDataTest {

    private final JacksonSerializer jackson = JacksonSerializer.defaultSerializer();
    private final RepeatedMetaData serializer = new RepeatedMetaData(new ObjectMapper(), new AnnotationRevisionResolver());

    @Test
    void equalMetaDataOfTwoEventsIsSerializedOnceWithJacksonsBytes() {
        MetaData first = MetaData.from(Map.of("request_id", "r-1", "actor_id", "a-1"));
        MetaData equal = MetaData.with("request_id", "r-1").and("actor_id", "a-1");

        SerializedObject<byte[]> once = serializer.serialize(first, byte[].class);
        SerializedObject<byte[]> again = serializer.serialize(equal, byte[].class);

        assertThat(again).isSameAs(once);
        assertThat(once.getData()).isEqualTo(jackson.serialize(equal, byte[].class).getData());
        assertThat((MetaData) serializer.deserialize(again)).isEqualTo(first);
    }

    @Test
    void differentMetaDataOrAnotherRepresentationIsSerializedAgain() {
        MetaData first = MetaData.with("request_id", "r-1");
        MetaData second = MetaData.with("request_id", "r-2");

        SerializedObject<byte[]> one = serializer.serialize(first, byte[].class);
        SerializedObject<byte[]> two = serializer.serialize(second, byte[].class);
        SerializedObject<String> asText = serializer.serialize(second, String.class);

        assertThat(two).isNotSameAs(one);
        assertThat((MetaData) serializer.deserialize(two)).isEqualTo(second);
        assertThat(asText.getData()).isEqualTo(jackson.serialize(second, String.class).getData());
    }

    @Test
    void payloadsAreSerializedEveryTime() {
        Map<String, String> payload = Map.of("title", "a row");

        SerializedObject<byte[]> one = serializer.serialize(payload, byte[].class);
        SerializedObject<byte[]> two = serializer.serialize(payload, byte[].class);

        assertThat(two).isNotSameAs(one);
        assertThat(two.getData()).isEqualTo(one.getData());
    }
}
