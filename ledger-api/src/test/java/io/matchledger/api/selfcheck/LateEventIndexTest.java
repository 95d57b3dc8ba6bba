package io.matchledger.api.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

/** The index the self-check files an event under: its own, also for an event that committed late into a gap. */
class LateEventIndexTest {

    @Test
    void anEventInOrderIsAtTheTokensIndexAndALateOneAtTheGapItFilled() {
        GapAwareTrackingToken withGaps = GapAwareTrackingToken.newInstance(20, List.of(7L, 12L));
        GapAwareTrackingToken next = withGaps.advanceTo(21, Integer.MAX_VALUE);
        GapAwareTrackingToken late = next.advanceTo(12, Integer.MAX_VALUE);

        assertThat(SelfCheck.indexOf(withGaps, next)).isEqualTo(21);
        assertThat(SelfCheck.indexOf(next, late)).as("not the stream's 21").isEqualTo(12);
        assertThat(SelfCheck.indexOf(null, withGaps)).isEqualTo(20);
        assertThat(SelfCheck.indexOf(new GlobalSequenceTrackingToken(4), new GlobalSequenceTrackingToken(5)))
                .isEqualTo(5);
    }
}
