package dev.baserdb.projection.audit;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event's global index read from the step between two gap-aware tokens of the JDBC event store,
 * as the stream makes them: from the token just before the event, and from an older one (the last
 * token a node committed before another node held the processor).
 */
class HeadStepTest {

    private static GapAwareTrackingToken at(long index, Long... gaps) {
        return GapAwareTrackingToken.newInstance(index, List.of(gaps));
    }

    @Test
    void anEventThatAdvancesTheStreamIsAtItsTokensIndexWhetherGapsWereSkippedOrNot() {
        GapAwareTrackingToken ten = at(10);
        assertThat(AuditProjection.headStep(ten, ten.advanceTo(11, 10_000))).isEqualTo(11L);
        assertThat(AuditProjection.headStep(ten, ten.advanceTo(13, 10_000))).isEqualTo(13L);
        // an older token works as well when only gaps lie between
        GapAwareTrackingToken older = at(8);
        assertThat(AuditProjection.headStep(older, at(13, 9L, 10L, 11L, 12L))).isEqualTo(13L);
    }

    @Test
    void anEventThatFillsAGapIsNotReadFromTheTokenWhicheverTokenItIsComparedWith() {
        GapAwareTrackingToken twelve = at(10).advanceTo(12, 10_000);          // 11 is a gap
        GapAwareTrackingToken filled = twelve.advanceTo(11, 10_000);           // 11 arrives late: index stays 12
        assertThat(filled.getIndex()).isEqualTo(12L);
        assertThat(AuditProjection.headStep(twelve, filled)).isNull();
        assertThat(AuditProjection.headStep(at(10), filled)).as("from an older token: 11 is no gap").isNull();

        // an old gap (5) filled after the older token: another node delivered 12 in between
        GapAwareTrackingToken older = at(10, 5L);
        GapAwareTrackingToken otherNode = older.advanceTo(12, 10_000);         // gaps 5 and 11
        GapAwareTrackingToken lateFive = otherNode.advanceTo(5, 10_000);       // index 12, gap 11 only
        assertThat(lateFive.getGaps()).containsExactly(11L);
        assertThat(AuditProjection.headStep(older, lateFive)).as("5 arrived, not 12").isNull();
    }

    @Test
    void otherStepsAreLookedUp() {
        assertThat(AuditProjection.headStep(at(10), at(10))).isNull();
        assertThat(AuditProjection.headStep(at(12), at(11))).as("a token from after the event").isNull();
        assertThat(AuditProjection.headStep(at(10), at(13, 12L))).as("11 delivered between").isNull();
        assertThat(AuditProjection.headStep(at(10), at(10 + 5_000))).as("too wide a step").isNull();
        TrackingToken replay = ReplayToken.createReplayToken(at(100), at(10));
        assertThat(AuditProjection.headStep(replay, at(11))).as("the replay token's position").isEqualTo(11L);
    }
}
