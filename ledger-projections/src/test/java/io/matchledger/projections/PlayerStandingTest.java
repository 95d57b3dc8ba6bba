package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.MatchResult;
import org.junit.jupiter.api.Test;

/** The rules over one standings row, without a database: what each event changes, and what a redelivery does not. */
class PlayerStandingTest {

    @Test
    void aNewPlayerStandsAtZeroReachedWhenTheyRegistered() {
        assertThat(new PlayerStanding("p", "P", 0, 100).row())
                .isEqualTo(new StandingRow("p", "P", 0, 0, 0, 0, 0, 100, 0));
    }

    @Test
    void eachResultCountsOnceAndMovesTheMomentTheTotalWasReachedOnlyWhenPointsChange() {
        PlayerStanding standing = new PlayerStanding("p", "P", 0, 100);

        standing.recordMatch(MatchResult.WIN, 3, 1, 200);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", 3, 1, 0, 0, 1, 200, 1));
        standing.recordMatch(MatchResult.LOSS, 0, 2, 300);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", 3, 1, 0, 1, 2, 200, 2));
        standing.recordMatch(MatchResult.DRAW, 1, 3, 400);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", 4, 1, 1, 1, 3, 400, 3));
    }

    @Test
    void aVoidedMatchIsTakenOutOfTheCountsAndThePoints() {
        PlayerStanding standing = new PlayerStanding("p", "P", 0, 100);
        standing.recordMatch(MatchResult.WIN, 3, 1, 200);
        standing.recordMatch(MatchResult.DRAW, 1, 2, 300);
        standing.recordMatch(MatchResult.LOSS, 0, 3, 400);

        standing.voidMatch(MatchResult.WIN, -3, 4, 500);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", 1, 0, 1, 1, 2, 500, 4));
        standing.voidMatch(MatchResult.LOSS, 0, 5, 600);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", 1, 0, 1, 0, 1, 500, 5));
        standing.voidMatch(MatchResult.DRAW, -1, 6, 700);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", 0, 0, 0, 0, 0, 700, 6));
    }

    @Test
    void anAdjustmentChangesThePointsOnlyAndARenameTheNameOnly() {
        PlayerStanding standing = new PlayerStanding("p", "P", 0, 100);

        standing.adjust(-5, 1, 200);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", -5, 0, 0, 0, 0, 200, 1));
        standing.adjust(0, 2, 300);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", -5, 0, 0, 0, 0, 200, 2));
        standing.rename("Q", 3);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "Q", -5, 0, 0, 0, 0, 200, 3));
    }

    @Test
    void anEventAtOrBelowTheLastSequenceIsARedeliveryAndChangesNothing() {
        PlayerStanding standing = new PlayerStanding(new StandingRow("p", "P", 7, 2, 1, 0, 3, 100, 5));
        StandingRow before = standing.row();

        standing.recordMatch(MatchResult.WIN, 3, 5, 900);
        standing.recordMatch(MatchResult.DRAW, 1, 4, 900);
        standing.voidMatch(MatchResult.WIN, -3, 5, 900);
        standing.adjust(10, 3, 900);
        standing.rename("Other", 5);
        assertThat(standing.row()).isEqualTo(before);

        standing.adjust(10, 6, 900);
        assertThat(standing.row()).isEqualTo(new StandingRow("p", "P", 17, 2, 1, 0, 3, 900, 6));
        assertThat(standing.playerId()).isEqualTo("p");
        assertThat(standing.points()).isEqualTo(17);
    }
}
