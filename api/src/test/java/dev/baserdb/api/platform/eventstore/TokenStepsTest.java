package dev.baserdb.api.platform.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader's token steps give what Axon's {@code advanceTo} gives (index, gaps and the truncation
 * index the next steps start from), and the common steps do not copy the gaps.
 */
class TokenStepsTest {

    @Test
    void everyStepOfARandomReaderGivesAxonsToken() throws Exception {
        Random random = new Random(20261201);
        int shared = 0;
        for (int walk = 0; walk < 200; walk++) {
            GapAwareTrackingToken axon = GapAwareTrackingToken.newInstance(random.nextInt(5), List.of());
            GapAwareTrackingToken ours = axon;
            List<GapAwareTrackingToken> seen = new ArrayList<>();
            for (int step = 0; step < 300; step++) {
                long index = nextIndex(random, axon);
                int maxGapOffset = switch (random.nextInt(10)) {
                    case 0 -> 0;
                    case 1 -> 3;
                    case 2 -> 40;
                    default -> 10_000;
                };
                GapAwareTrackingToken before = ours;
                axon = axon.advanceTo(index, maxGapOffset);
                ours = TokenSteps.advance(ours, index, maxGapOffset);
                assertThat(ours.getIndex()).as("walk %d step %d", walk, step).isEqualTo(axon.getIndex());
                assertThat(new ArrayList<>(ours.getGaps())).as("walk %d step %d", walk, step)
                        .isEqualTo(new ArrayList<>(axon.getGaps()));
                assertThat(truncation(ours)).as("walk %d step %d", walk, step).isEqualTo(truncation(axon));
                // what readers ask of tokens, against an earlier one and the other way round
                GapAwareTrackingToken earlier = seen.isEmpty() ? axon : seen.get(random.nextInt(seen.size()));
                assertThat(ours.covers(earlier)).isEqualTo(axon.covers(earlier));
                assertThat(earlier.covers(ours)).isEqualTo(earlier.covers(axon));
                assertThat(gapsOf(ours.lowerBound(earlier)))
                        .isEqualTo(gapsOf(axon.lowerBound(earlier)));
                assertThat(gapsOf(ours.upperBound(earlier)))
                        .isEqualTo(gapsOf(axon.upperBound(earlier)));
                seen.add(ours);
                if (gaps(ours) == gaps(before) && !before.getGaps().isEmpty()) {
                    shared++;
                }
            }
        }
        assertThat(shared).as("steps that kept the gaps as they were shared them").isGreaterThan(1_000);
    }

    @Test
    void theEventAfterTheIndexKeepsTheSameGapsAndFillingTheLowestGapsSharesOneArray() throws Exception {
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(10, List.of(3L, 5L, 8L));

        GapAwareTrackingToken next = TokenSteps.advance(token, 11, 10_000);
        assertThat(next.getIndex()).isEqualTo(11);
        assertThat(gaps(next)).isSameAs(gaps(token));

        GapAwareTrackingToken filled = TokenSteps.advance(next, 3, 10_000);
        assertThat(filled.getIndex()).isEqualTo(11);
        assertThat(filled.getGaps()).containsExactly(5L, 8L);
        assertThat(filled.covers(GapAwareTrackingToken.newInstance(4, List.of()))).isTrue();
        assertThat(filled.covers(GapAwareTrackingToken.newInstance(5, List.of()))).isFalse();

        GapAwareTrackingToken filledAgain = TokenSteps.advance(filled, 5, 10_000);
        assertThat(filledAgain.getGaps()).containsExactly(8L);
        assertThat(array(filledAgain)).isSameAs(array(filled));
    }

    @Test
    void aSliceTakesAnyBoundAsASortedSetDoes() {
        SortedSet<Long> slice = TokenSteps.Slice.of(new java.util.TreeSet<>(List.of(3L, 5L, 8L, 13L))).tailSet(5L);
        assertThat(slice).containsExactly(5L, 8L, 13L);
        assertThat(slice.headSet(2L)).isEmpty();
        assertThat(slice.tailSet(1L)).containsExactly(5L, 8L, 13L);
        assertThat(slice.headSet(9L)).containsExactly(5L, 8L);
        assertThat(slice.subSet(6L, 100L)).containsExactly(8L, 13L);
        assertThat(slice.subSet(20L, 30L)).isEmpty();
        assertThat(slice.first()).isEqualTo(5L);
        assertThat(slice.last()).isEqualTo(13L);
        assertThat(slice.contains(3L)).isFalse();
        assertThat(slice.contains(8L)).isTrue();
        assertThat(slice).isEqualTo(new java.util.TreeSet<>(List.of(5L, 8L, 13L)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> slice.add(21L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aTokenWithASliceOfGapsIsWrittenAndReadAsAnyOther() throws Exception {
        GapAwareTrackingToken token = TokenSteps.advance(GapAwareTrackingToken.newInstance(10, List.of(3L, 5L, 8L)), 3,
                10_000);
        ObjectMapper json = new ObjectMapper();
        GapAwareTrackingToken read = json.readValue(json.writeValueAsString(token), GapAwareTrackingToken.class);
        assertThat(read).isEqualTo(token);
        assertThat(read.getGaps()).containsExactly(5L, 8L);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(token);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(token);
        }
    }

    /** The index a reader gets next: the one after, the lowest gap, another gap, or one further on. */
    private static long nextIndex(Random random, GapAwareTrackingToken token) {
        SortedSet<Long> gaps = token.getGaps();
        int kind = random.nextInt(10);
        if (!gaps.isEmpty() && kind < 3) {
            return gaps.first();
        }
        if (!gaps.isEmpty() && kind < 4) {
            List<Long> all = new ArrayList<>(gaps);
            return all.get(random.nextInt(all.size()));
        }
        if (kind < 8) {
            return token.getIndex() + 1;
        }
        return token.getIndex() + 2 + random.nextInt(30);
    }

    private static Object gaps(GapAwareTrackingToken token) throws Exception {
        return field("gaps").get(token);
    }

    private static List<Long> gapsOf(org.axonframework.eventhandling.TrackingToken token) {
        return new ArrayList<>(((GapAwareTrackingToken) token).getGaps());
    }

    private static Object array(GapAwareTrackingToken token) throws Exception {
        Field values = TokenSteps.Slice.class.getDeclaredField("values");
        values.setAccessible(true);
        return values.get(gaps(token));
    }

    private static long truncation(GapAwareTrackingToken token) throws Exception {
        return (long) field("gapTruncationIndex").get(token);
    }

    private static Field field(String name) throws Exception {
        Field field = GapAwareTrackingToken.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
