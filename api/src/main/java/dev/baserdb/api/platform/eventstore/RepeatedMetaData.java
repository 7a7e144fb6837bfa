package dev.baserdb.api.platform.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;

/**
 * The event serializer (Axon's Jackson serializer, as Axon would build it), serializing metadata
 * equal to the last it serialized on the same thread only once. The events of one command carry the
 * same correlation data (request, actor, trace), so a data-API batch of 500 rows serialized one map
 * 500 times; equal metadata give equal bytes, so the last result is handed out again.
 * <p>
 * It is the {@code eventSerializer} bean itself, not a wrapper the event store alone holds: Axon
 * hands a stored event's payload and metadata out as stored only to the serializer that read them
 * ({@code SerializedMessage.serializePayload} compares serializers), and gives any other serializer
 * a deserialization and a serialization again.
 */
final class RepeatedMetaData extends JacksonSerializer {

    private final ThreadLocal<Last> last = ThreadLocal.withInitial(Last::new);

    RepeatedMetaData(ObjectMapper objectMapper, RevisionResolver revisionResolver) {
        super(JacksonSerializer.builder()
                .objectMapper(objectMapper)
                .revisionResolver(revisionResolver)
                .converter(new ChainingConverter(RepeatedMetaData.class.getClassLoader())));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(@Nullable Object object, @Nonnull Class<T> expectedRepresentation) {
        if (!(object instanceof MetaData metaData)) {
            return super.serialize(object, expectedRepresentation);
        }
        Last cached = last.get();
        if (cached.representation == expectedRepresentation && metaData.equals(cached.metaData)) {
            return (SerializedObject<T>) cached.serialized;
        }
        SerializedObject<T> serialized = super.serialize(metaData, expectedRepresentation);
        cached.metaData = metaData;
        cached.representation = expectedRepresentation;
        cached.serialized = serialized;
        return serialized;
    }

    private static final class Last {
        private MetaData metaData;
        private Class<?> representation;
        private SerializedObject<?> serialized;
    }
}
