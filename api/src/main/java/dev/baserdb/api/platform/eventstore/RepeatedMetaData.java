package dev.baserdb.api.platform.eventstore;

import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;

import javax.annotation.Nonnull;
import javax.annotation.Nullable;

/**
 * The event store's serializer, serializing metadata equal to the last it serialized on the same
 * thread only once. The events of one command carry the same correlation data (request, actor,
 * trace), so a data-API batch of 500 rows serialized one map 500 times; equal metadata give equal
 * bytes, so the last result is handed out again. Everything else goes to the serializer it wraps.
 */
final class RepeatedMetaData implements Serializer {

    private final Serializer serializer;
    private final ThreadLocal<Last> last = ThreadLocal.withInitial(Last::new);

    RepeatedMetaData(Serializer serializer) {
        this.serializer = serializer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> SerializedObject<T> serialize(@Nullable Object object, @Nonnull Class<T> expectedRepresentation) {
        if (!(object instanceof MetaData metaData)) {
            return serializer.serialize(object, expectedRepresentation);
        }
        Last cached = last.get();
        if (cached.representation == expectedRepresentation && metaData.equals(cached.metaData)) {
            return (SerializedObject<T>) cached.serialized;
        }
        SerializedObject<T> serialized = serializer.serialize(metaData, expectedRepresentation);
        cached.metaData = metaData;
        cached.representation = expectedRepresentation;
        cached.serialized = serialized;
        return serialized;
    }

    @Override
    public <T> boolean canSerializeTo(@Nonnull Class<T> expectedRepresentation) {
        return serializer.canSerializeTo(expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(@Nonnull SerializedObject<S> serializedObject) {
        return serializer.deserialize(serializedObject);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(@Nonnull SerializedType type) {
        return serializer.classForType(type);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(@Nullable Class type) {
        return serializer.typeForClass(type);
    }

    @Override
    public Converter getConverter() {
        return serializer.getConverter();
    }

    private static final class Last {
        private MetaData metaData;
        private Class<?> representation;
        private SerializedObject<?> serialized;
    }
}
