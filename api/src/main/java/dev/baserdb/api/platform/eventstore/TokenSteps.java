package dev.baserdb.api.platform.eventstore;

import org.axonframework.eventhandling.GapAwareTrackingToken;

import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SortedSet;

/**
 * Axon's {@link GapAwareTrackingToken#advanceTo} without copying the gaps where the step leaves
 * them as they were or takes the lowest one away, the two steps a reader makes almost always.
 *
 * <p>Every event a streaming reader gets carries its own token, and Axon's step copies the token's
 * gaps into a new {@code TreeSet} each time. While several batches write at once each one's indexes
 * are gaps to the others until it commits (hundreds), so under batches of 500 at four clients these
 * copies were an eighth of all the memory the app allocated, and they live on: the event store
 * keeps the last 10,000 events, tokens included, for its readers. Here the same steps give a token
 * with the same index, gaps and truncation index as Axon's, sharing the gaps instead: the set
 * itself when the event is the one after the index and no gap falls below the truncation bound,
 * the part after the lowest gap when the event fills that gap — batches mostly commit in the order
 * they took their indexes. Any other step is Axon's. The part after the lowest gap is a slice of a
 * sorted array of the gaps ({@link Slice}), made once from the set the slicing starts from and then
 * shared: {@code TreeSet}'s own views cannot serve, they refuse a bound outside their range, which
 * Axon's steps and {@code covers} pass.
 *
 * <p>Sharing is safe because a token never changes its set: Axon's own steps build a new one. The
 * token's private constructor and fields are reached once, through method handles; if a later Axon
 * renames them, the class fails to load, and the event store with it, so the tests say so at once.
 */
final class TokenSteps {

    private static final MethodHandle NEW_TOKEN;
    private static final VarHandle GAPS;
    private static final VarHandle TRUNCATION;

    static {
        try {
            MethodHandles.Lookup token = MethodHandles.privateLookupIn(GapAwareTrackingToken.class, MethodHandles.lookup());
            NEW_TOKEN = token.findConstructor(GapAwareTrackingToken.class,
                    MethodType.methodType(void.class, long.class, SortedSet.class, long.class));
            GAPS = token.findVarHandle(GapAwareTrackingToken.class, "gaps", SortedSet.class);
            TRUNCATION = token.findVarHandle(GapAwareTrackingToken.class, "gapTruncationIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TokenSteps() {
    }

    /** What {@code token.advanceTo(index, maxGapOffset)} gives. */
    @SuppressWarnings("unchecked")
    static GapAwareTrackingToken advance(GapAwareTrackingToken token, long index, int maxGapOffset) {
        long last = token.getIndex();
        long truncation = (long) TRUNCATION.get(token);
        long lowestAllowed = Math.min(index, Math.max(truncation, Math.max(index, last) - maxGapOffset));
        SortedSet<Long> gaps = (SortedSet<Long>) GAPS.get(token);
        boolean noneTruncated = gaps.isEmpty() || gaps.first() >= lowestAllowed;
        if (noneTruncated && index == last + 1) {
            return token(index, gaps, lowestAllowed);
        }
        if (noneTruncated && !gaps.isEmpty() && gaps.first() == index) {
            return token(last, Slice.of(gaps).tailSet(index + 1), lowestAllowed);
        }
        return token.advanceTo(index, maxGapOffset);
    }

    private static GapAwareTrackingToken token(long index, SortedSet<Long> gaps, long truncation) {
        try {
            return (GapAwareTrackingToken) NEW_TOKEN.invokeExact(index, gaps, truncation);
        } catch (Throwable e) {
            throw new IllegalStateException("Could not make a tracking token", e);
        }
    }

    /**
     * An immutable sorted set of gaps: part of a sorted array, its subsets parts of the same array.
     * Any bound is allowed (a subset outside the part is empty). Serializable as the token is.
     */
    static final class Slice extends AbstractSet<Long> implements SortedSet<Long>, Serializable {

        private static final long serialVersionUID = 1L;

        private final long[] values;
        private final int from;
        private final int to;

        private Slice(long[] values, int from, int to) {
            this.values = values;
            this.from = from;
            this.to = to;
        }

        static Slice of(SortedSet<Long> gaps) {
            if (gaps instanceof Slice slice) {
                return slice;
            }
            long[] values = new long[gaps.size()];
            int i = 0;
            for (Long gap : gaps) {
                values[i++] = gap;
            }
            return new Slice(values, 0, values.length);
        }

        /** Where {@code key} is or would be in this part. */
        private int position(long key) {
            int found = Arrays.binarySearch(values, from, to, key);
            return found >= 0 ? found : -found - 1;
        }

        @Override
        public int size() {
            return to - from;
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof Long key && Arrays.binarySearch(values, from, to, key) >= 0;
        }

        @Override
        public Iterator<Long> iterator() {
            return new Iterator<>() {
                private int next = from;

                @Override
                public boolean hasNext() {
                    return next < to;
                }

                @Override
                public Long next() {
                    if (next >= to) {
                        throw new NoSuchElementException();
                    }
                    return values[next++];
                }
            };
        }

        @Override
        public Comparator<? super Long> comparator() {
            return null;
        }

        @Override
        public SortedSet<Long> subSet(Long fromElement, Long toElement) {
            if (fromElement > toElement) {
                throw new IllegalArgumentException("fromElement > toElement");
            }
            return new Slice(values, position(fromElement), Math.max(position(fromElement), position(toElement)));
        }

        @Override
        public SortedSet<Long> headSet(Long toElement) {
            return new Slice(values, from, position(toElement));
        }

        @Override
        public SortedSet<Long> tailSet(Long fromElement) {
            return new Slice(values, position(fromElement), to);
        }

        @Override
        public Long first() {
            if (from == to) {
                throw new NoSuchElementException();
            }
            return values[from];
        }

        @Override
        public Long last() {
            if (from == to) {
                throw new NoSuchElementException();
            }
            return values[to - 1];
        }
    }
}
