package dev.baserdb.kernel.audit;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Select;

import java.util.Set;

import static org.jooq.impl.DSL.select;
import static dev.baserdb.kernel.readmodel.schema.Tables.TOKENENTRY;

/**
 * How far the audit processor has got: the events it has handled are those up to its token's
 * index except the token's gaps (indexes it has not seen yet, which may still commit). Read from
 * the token row without claiming it, so any node can ask.
 */
public record TrailPosition(long index, Set<Long> gaps) {

    public static final TrailPosition START = new TrailPosition(0, Set.of());

    public static final Field<byte[]> TOKEN = TOKENENTRY.TOKEN;
    public static final Field<String> TOKEN_TYPE = TOKENENTRY.TOKENTYPE;

    /** The audit processor's (single) token row, for a select of its own or as scalar subqueries. */
    public static <T> Select<Record1<T>> tokenColumn(Field<T> column) {
        return select(column).from(TOKENENTRY).where(TOKENENTRY.PROCESSORNAME.eq(AuditDerivation.PROCESSOR))
                .and(TOKENENTRY.SEGMENT.eq(0));
    }

    public boolean recorded(long globalIndex) {
        return globalIndex <= index && !gaps.contains(globalIndex);
    }

    /**
     * The position the stored token has reached: during a replay, the position reached before the
     * reset, since every event up to it already has its entry.
     */
    public static TrailPosition reached(byte[] token, String tokenType, Serializer serializer) {
        TrackingToken stored = deserialize(token, tokenType, serializer);
        return stored == null ? START : of(WrappedToken.unwrapUpperBound(stored));
    }

    /** The position the processor is at now (during a replay, the replay's own), from the stored token. */
    public static TrailPosition current(byte[] token, String tokenType, Serializer serializer) {
        return current(deserialize(token, tokenType, serializer));
    }

    /** The position the processor is at with {@code token} (during a replay, the replay's own). */
    public static TrailPosition current(TrackingToken token) {
        return token == null ? START : of(WrappedToken.unwrapLowerBound(token));
    }

    private static TrackingToken deserialize(byte[] token, String tokenType, Serializer serializer) {
        if (token == null || tokenType == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, tokenType, null));
    }

    private static TrailPosition of(TrackingToken token) {
        if (token instanceof GapAwareTrackingToken gapAware) {
            return new TrailPosition(gapAware.getIndex(), Set.copyOf(gapAware.getGaps()));
        }
        return token == null ? START : new TrailPosition(token.position().orElse(0), Set.of());
    }
}
