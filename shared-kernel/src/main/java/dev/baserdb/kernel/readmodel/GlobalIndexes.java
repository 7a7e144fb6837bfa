package dev.baserdb.kernel.readmodel;

import org.jooq.Condition;
import org.jooq.Field;

import java.util.Collection;
import java.util.Collections;

/** Conditions on a column of events' global indexes. */
public final class GlobalIndexes {

    private GlobalIndexes() {
    }

    /**
     * The rows whose {@code column} is among {@code indexes} (not empty). A batch's indexes are nearly
     * consecutive (a replay's, a catch-up's, a page of the trail): when they are dense, the range from
     * the lowest to the highest, one index scan instead of a list of up to thousands of parameters
     * (the few rows in between that are not asked for come along); the list otherwise.
     */
    public static Condition among(Field<Long> column, Collection<Long> indexes) {
        long low = Collections.min(indexes);
        long high = Collections.max(indexes);
        return high - low < 2L * indexes.size() ? column.between(low, high) : column.in(indexes);
    }
}
