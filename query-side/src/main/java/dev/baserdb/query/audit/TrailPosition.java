package dev.baserdb.query.audit;

import dev.baserdb.kernel.audit.AuditDerivation;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Select;
import org.jooq.Table;

import java.util.Set;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.table;

/**
 * How far the audit processor has got: the events it has handled (and so recorded) are those up
 * to its token's index except the token's gaps (indexes it has not seen yet). Read from the token
 * row without claiming it, so any node can ask; during a replay the position reached before the
 * reset counts, since every event up to it already has its entry.
 */
record TrailPosition(long index, Set<Long> gaps) {

    static final TrailPosition START = new TrailPosition(0, Set.of());

    private static final Table<Record> TOKENS = table(name("tokenentry"));
    private static final Field<String> PROCESSOR = field(name("tokenentry", "processorname"), String.class);
    private static final Field<Integer> SEGMENT = field(name("tokenentry", "segment"), Integer.class);
    static final Field<byte[]> TOKEN = field(name("tokenentry", "token"), byte[].class);
    static final Field<String> TOKEN_TYPE = field(name("tokenentry", "tokentype"), String.class);

    /** The audit processor's (single) token row, for a select of its own or as scalar subqueries. */
    static <T> Select<Record1<T>> tokenColumn(Field<T> column) {
        return select(column).from(TOKENS).where(PROCESSOR.eq(AuditDerivation.PROCESSOR)).and(SEGMENT.eq(0));
    }

    boolean recorded(long globalIndex) {
        return globalIndex <= index && !gaps.contains(globalIndex);
    }

    static TrailPosition of(byte[] token, String tokenType, Serializer serializer) {
        if (token == null || tokenType == null) {
            return START;
        }
        TrackingToken tracking = serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, tokenType,
                null));
        TrackingToken reached = WrappedToken.unwrapUpperBound(tracking);
        if (reached instanceof GapAwareTrackingToken gapAware) {
            return new TrailPosition(gapAware.getIndex(), Set.copyOf(gapAware.getGaps()));
        }
        return reached == null ? START : new TrailPosition(reached.position().orElse(0), Set.of());
    }
}
