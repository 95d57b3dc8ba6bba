package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.Test;

/**
 * When a rebuild may be swapped in ({@link ProjectionRebuilds#reached}): it has processed every event the stopped live
 * model's tokens cover, those at or below each token's index that are not gaps of the live token, since the live
 * processor goes on from its own tokens and would never hand the rebuilt model an event below them.
 */
class RebuildReachedTest {

    private static TrackingToken at(long index, Long... gaps) {
        SortedSet<Long> missing = new TreeSet<>(List.of(gaps));
        return GapAwareTrackingToken.newInstance(index, missing);
    }

    private static Map<Integer, TokenStoreView.StoredToken> live(TrackingToken... segments) {
        Map<Integer, TokenStoreView.StoredToken> tokens = new HashMap<>();
        for (int segment = 0; segment < segments.length; segment++) {
            tokens.put(segment, new TokenStoreView.StoredToken(segment, segments[segment], new byte[0], null));
        }
        return tokens;
    }

    @Test
    void aRebuildAtOrPastTheLiveIndexHasReachedIt() {
        assertThat(ProjectionRebuilds.reached(live(at(10)), at(9))).isFalse();
        assertThat(ProjectionRebuilds.reached(live(at(10)), at(10))).isTrue();
        assertThat(ProjectionRebuilds.reached(live(at(10)), at(12))).isTrue();
        assertThat(ProjectionRebuilds.reached(
                        live(new GlobalSequenceTrackingToken(10)), new GlobalSequenceTrackingToken(10)))
                .isTrue();
    }

    @Test
    void aRebuildBeforeItsFirstBatchHasReachedNothingButALiveModelThatHasProcessedNothing() {
        assertThat(ProjectionRebuilds.reached(live(at(0)), null)).isFalse();
        assertThat(ProjectionRebuilds.reached(live((TrackingToken) null), null)).isTrue();
        assertThat(ProjectionRebuilds.reached(live(), at(3))).isTrue();
    }

    @Test
    void aGapOfTheRebuildThatTheLiveModelHasProcessedIsAnEventTheRebuildStillMisses() {
        assertThat(ProjectionRebuilds.reached(live(at(10)), at(12, 5L))).isFalse();
        assertThat(ProjectionRebuilds.reached(live(at(10)), at(12, 10L))).isFalse();
        // A gap of both: the live processor fills it later for the rebuilt model too.
        assertThat(ProjectionRebuilds.reached(live(at(10, 5L)), at(12, 5L))).isTrue();
        // A gap past the live index: the live processor goes on from there and hands it over when it comes.
        assertThat(ProjectionRebuilds.reached(live(at(10)), at(12, 11L))).isTrue();
    }

    @Test
    void everySegmentOfTheLiveModelIsReached() {
        assertThat(ProjectionRebuilds.reached(live(at(10), at(14)), at(12))).isFalse();
        assertThat(ProjectionRebuilds.reached(live(at(10), at(14)), at(14))).isTrue();
        assertThat(ProjectionRebuilds.reached(live(at(10), null), at(10))).isTrue();
    }

    @Test
    void aLiveTokenInAReplayCountsAtItsLowerBound() {
        TrackingToken replaying = ReplayToken.createReplayToken(at(20), at(10));
        assertThat(ProjectionRebuilds.reached(live(replaying), at(10))).isTrue();
        assertThat(ProjectionRebuilds.reached(live(replaying), at(9))).isFalse();
    }
}
