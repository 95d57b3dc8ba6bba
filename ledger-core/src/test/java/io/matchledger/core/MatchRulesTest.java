package io.matchledger.core;

import static io.matchledger.core.LedgerFixture.NOW;
import static io.matchledger.core.api.LedgerRefusal.Reason.CONFLICT;
import static io.matchledger.core.api.LedgerRefusal.Reason.NOT_FOUND;
import static io.matchledger.core.api.LedgerRefusal.Reason.RULE_BROKEN;
import static io.matchledger.core.api.MatchResult.DRAW;
import static io.matchledger.core.api.MatchResult.LOSS;
import static io.matchledger.core.api.MatchResult.WIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.Share;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recording a match: the scoring rule, both ledgers or neither, and the match id as a permanent idempotency key.
 * Every test starts with two registered players, Lubien and Enemy, at 0 points.
 */
class MatchRulesTest {

    private static final Instant PLAYED = Instant.parse("2026-11-25T21:30:00Z");
    private static final Instant LATER = NOW.plusSeconds(3600);

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    @BeforeEach
    void twoRegisteredPlayers() {
        ledger.given("lubien", TestNames.registered("lubien", "Lubien"))
                .given("enemy", TestNames.registered("enemy", "Enemy"));
    }

    @Test
    void aDecisiveMatchGivesTheWinnerThreePointsAndTheLoserNone() {
        ledger.when(new RecordMatchCommand("m-1", "enemy", "lubien", Outcome.WIN, PLAYED))
                .expectEvents(
                        new MatchRecorded("enemy", "m-1", "lubien", WIN, 3, 3, PLAYED),
                        new MatchRecorded("lubien", "m-1", "enemy", LOSS, 0, 0, PLAYED),
                        new MatchSettled(
                                "m-1",
                                Outcome.WIN,
                                List.of(new Share("enemy", WIN, 3, 3), new Share("lubien", LOSS, 0, 0)),
                                PLAYED))
                .expectStreams("enemy", "lubien", "match:m-1")
                .expectResult(new MatchSettlement(
                        "m-1",
                        Outcome.WIN,
                        List.of(new Share("enemy", WIN, 3, 3), new Share("lubien", LOSS, 0, 0)),
                        PLAYED,
                        NOW,
                        false));
    }

    @Test
    void aDrawGivesEachPlayerOnePoint() {
        ledger.when(draw("m-1", "lubien", "enemy"))
                .expectEvents(
                        new MatchRecorded("lubien", "m-1", "enemy", DRAW, 1, 1, NOW),
                        new MatchRecorded("enemy", "m-1", "lubien", DRAW, 1, 1, NOW),
                        new MatchSettled(
                                "m-1",
                                Outcome.DRAW,
                                List.of(new Share("lubien", DRAW, 1, 1), new Share("enemy", DRAW, 1, 1)),
                                NOW))
                .expectStreams("lubien", "enemy", "match:m-1")
                .expectResult(new MatchSettlement(
                        "m-1",
                        Outcome.DRAW,
                        List.of(new Share("lubien", DRAW, 1, 1), new Share("enemy", DRAW, 1, 1)),
                        NOW,
                        NOW,
                        false));
    }

    @Test
    void aMatchWithoutOccurredAtIsDatedWhenItIsRecorded() {
        ledger.clockAt(LATER).when(win("m-1", "lubien", "enemy"));

        MatchSettlement settlement = ledger.result();
        assertThat(settlement.occurredAt()).isEqualTo(LATER);
        assertThat(settlement.recordedAt()).isEqualTo(LATER);
    }

    @Test
    void theAnswerCarriesEachPlayersTotalRightAfterTheMatchFromTheirOwnLedger() {
        ledger.given("lubien", new PointsAdjusted("lubien", "opening-lubien", 104, "opening balance", 104))
                .given("enemy", new PointsAdjusted("enemy", "opening-enemy", 72, "opening balance", 72))
                .when(win("m-1", "enemy", "lubien"))
                .expectEvents(
                        new MatchRecorded("enemy", "m-1", "lubien", WIN, 3, 75, NOW),
                        new MatchRecorded("lubien", "m-1", "enemy", LOSS, 0, 104, NOW),
                        new MatchSettled(
                                "m-1",
                                Outcome.WIN,
                                List.of(new Share("enemy", WIN, 3, 75), new Share("lubien", LOSS, 0, 104)),
                                NOW));
        MatchSettlement settlement = ledger.result();
        assertThat(settlement.players())
                .extracting(Share::playerId, Share::totalAfter)
                .containsExactly(tuple("enemy", 75L), tuple("lubien", 104L));
    }

    @Test
    void totalsAccumulateAcrossMatches() {
        ledger.when(win("m-1", "lubien", "enemy")).expectResult(settlement("m-1", WIN, "lubien", 3, "enemy", 0));
        ledger.when(draw("m-2", "enemy", "lubien")).expectResult(settlement("m-2", DRAW, "enemy", 1, "lubien", 4));
        ledger.when(win("m-3", "enemy", "lubien")).expectResult(settlement("m-3", WIN, "enemy", 4, "lubien", 4));
        ledger.when(win("m-4", "lubien", "enemy")).expectResult(settlement("m-4", WIN, "lubien", 7, "enemy", 4));

        assertThat(ledger.eventsOf("lubien"))
                .hasSize(5)
                .last()
                .isEqualTo(new MatchRecorded("lubien", "m-4", "enemy", WIN, 3, 7, NOW));
    }

    @Test
    void aPlayerCannotPlayAgainstThemselves() {
        ledger.when(win("m-1", "lubien", "lubien")).expectRefusal(RULE_BROKEN);
        ledger.when(draw("m-2", "lubien", "lubien")).expectRefusal(RULE_BROKEN);

        assertThat(ledger.eventsOf("lubien"))
                .map(TestNames::opened)
                .containsExactly(TestNames.registeredAs("lubien", "Lubien"));
        assertThat(ledger.eventsOf("match:m-1")).isEmpty();
    }

    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource({"stranger, lubien", "lubien, stranger", "aaron, lubien", "lubien, aaron"})
    void aMatchWithAnUnregisteredPlayerIsOnNeitherLedger(String first, String second) {
        // Both orders, and names that sort before and after "lubien": the ledgers are locked in name order, and a
        // refusal after the first ledger was loaded must still write nothing.
        ledger.when(win("m-1", first, second)).expectRefusal(NOT_FOUND);
        ledger.when(draw("m-2", first, second)).expectRefusal(NOT_FOUND);

        assertThat(ledger.eventsOf("lubien"))
                .map(TestNames::opened)
                .containsExactly(TestNames.registeredAs("lubien", "Lubien"));
        assertThat(ledger.eventsOf("match:m-1")).isEmpty();
    }

    @Test
    void aRefusalReachesTheCallerAsTheRefusalItself() {
        // The web layer maps the reason to 404, 409 or 422; it needs the refusal, not a framework wrapper around it.
        ledger.when(win("m-1", "lubien", "stranger"));

        assertThat(ledger.failure()).isExactlyInstanceOf(LedgerRefusal.class);
    }

    @Test
    void aMatchIdThatFailedIsStillFreeForTheCorrectedMatch() {
        // A refusal must not burn the key: the game server fixes the request and sends the same match id.
        ledger.when(win("m-1", "lubien", "stranger")).expectRefusal(NOT_FOUND);

        ledger.when(win("m-1", "lubien", "enemy")).expectResult(settlement("m-1", WIN, "lubien", 3, "enemy", 0));
    }

    @Test
    void anIdenticalRetryReturnsTheOriginalSettlementAndChangesNothing() {
        ledger.when(win("m-1", "enemy", "lubien"));
        MatchSettlement original = ledger.result();

        // Later, and the totals have moved on: the retry still answers what the match did back then.
        ledger.clockAt(LATER).when(win("m-2", "enemy", "lubien"));
        ledger.when(win("m-1", "enemy", "lubien")).expectNoEvents().expectResult(replayed(original));
        assertThat(original.recordedAt()).isEqualTo(NOW);
        assertThat(original.occurredAt()).isEqualTo(NOW);
    }

    @Test
    void aDrawRetriedWithThePlayersInTheOtherOrderIsTheSameMatch() {
        ledger.when(draw("m-1", "lubien", "enemy"));
        MatchSettlement original = ledger.result();

        ledger.when(draw("m-1", "enemy", "lubien")).expectNoEvents().expectResult(replayed(original));
    }

    @Test
    void aRetryWithTheSameExplicitTimeIsTheSameMatch() {
        ledger.when(new RecordMatchCommand("m-1", "lubien", "enemy", Outcome.WIN, PLAYED));
        MatchSettlement original = ledger.result();

        ledger.when(new RecordMatchCommand("m-1", "lubien", "enemy", Outcome.WIN, PLAYED))
                .expectNoEvents()
                .expectResult(replayed(original));
    }

    @Test
    void aRetryWithoutTimeMatchesAnExplicitlyDatedMatch() {
        // Without occurredAt the client says "whenever it was recorded", which is not a different content.
        ledger.when(new RecordMatchCommand("m-1", "lubien", "enemy", Outcome.WIN, PLAYED));
        MatchSettlement original = ledger.result();

        ledger.clockAt(LATER)
                .when(win("m-1", "lubien", "enemy"))
                .expectNoEvents()
                .expectResult(replayed(original));
    }

    @Test
    void aRetryHoldsAcrossARestart() {
        // The key is the first event of the match's own stream, not an entry in a cache.
        ledger.when(win("m-1", "enemy", "lubien"));
        MatchSettlement original = ledger.result();

        ledger.restart().when(win("m-1", "enemy", "lubien")).expectNoEvents().expectResult(replayed(original));
        ledger.when(win("m-1", "lubien", "enemy")).expectRefusal(CONFLICT);
    }

    @Test
    void theSameMatchIdWithOtherPlayersIsAConflict() {
        ledger.given("ally", TestNames.registered("ally", "Ally")).when(win("m-1", "enemy", "lubien"));

        ledger.when(win("m-1", "enemy", "ally")).expectRefusal(CONFLICT);
        ledger.when(win("m-1", "ally", "lubien")).expectRefusal(CONFLICT);
        ledger.when(draw("m-1", "ally", "lubien")).expectRefusal(CONFLICT);
        // The key is checked before the players: a conflicting retry is a conflict, even with an unknown player.
        ledger.when(win("m-1", "enemy", "stranger")).expectRefusal(CONFLICT);
    }

    @Test
    void theSameMatchIdWithAnotherOutcomeIsAConflict() {
        ledger.when(win("m-1", "enemy", "lubien"));

        ledger.when(draw("m-1", "enemy", "lubien")).expectRefusal(CONFLICT);
        ledger.when(draw("m-1", "lubien", "enemy")).expectRefusal(CONFLICT);
    }

    @Test
    void theSameMatchIdWithADecisiveOutcomeIsAConflictForADraw() {
        ledger.when(draw("m-1", "enemy", "lubien"));

        ledger.when(win("m-1", "enemy", "lubien")).expectRefusal(CONFLICT);
        ledger.when(win("m-1", "lubien", "enemy")).expectRefusal(CONFLICT);
    }

    @Test
    void theSameMatchIdWithTheOtherWinnerIsAConflict() {
        ledger.when(win("m-1", "enemy", "lubien"));

        ledger.when(win("m-1", "lubien", "enemy")).expectRefusal(CONFLICT);
    }

    @Test
    void theSameMatchIdWithAnotherTimeIsAConflict() {
        ledger.when(new RecordMatchCommand("m-1", "lubien", "enemy", Outcome.WIN, PLAYED));

        ledger.when(new RecordMatchCommand("m-1", "lubien", "enemy", Outcome.WIN, PLAYED.plusMillis(1)))
                .expectRefusal(CONFLICT);
    }

    @Test
    void theSameMatchIdReusedForASelfMatchIsAConflict() {
        // Must be a clean refusal, not an error from comparing the players.
        ledger.when(draw("m-1", "lubien", "enemy"));

        ledger.when(draw("m-1", "lubien", "lubien")).expectRefusal(CONFLICT);
        ledger.when(win("m-1", "lubien", "lubien")).expectRefusal(CONFLICT);
    }

    @Test
    void aMatchIdIsGlobalAndNotPerPlayer() {
        ledger.given("ally", TestNames.registered("ally", "Ally"))
                .given("rival", TestNames.registered("rival", "Rival"))
                .when(win("m-1", "enemy", "lubien"));

        ledger.when(win("m-1", "ally", "rival")).expectRefusal(CONFLICT);
        assertThat(ledger.eventsOf("ally")).hasSize(1);
        assertThat(ledger.eventsOf("rival")).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m 1", "-m-1", ":m", "m/1", "m-ü"})
    void aMatchIdOutsideTheContractsShapeIsRefused(String matchId) {
        ledger.when(win(matchId, "lubien", "enemy")).expectRefusal(RULE_BROKEN);
    }

    @Test
    void aMatchIdOfAtMostOneHundredTwentyEightCharactersIsAccepted() {
        ledger.when(win("m" + "x".repeat(127), "lubien", "enemy"))
                .expectStreams("lubien", "enemy", "match:m" + "x".repeat(127));
        ledger.when(win("m" + "x".repeat(128), "lubien", "enemy")).expectRefusal(RULE_BROKEN);
    }

    @Test
    void aMatchNeedsAnOutcomeAndTwoPlayers() {
        ledger.when(new RecordMatchCommand(null, "lubien", "enemy", Outcome.WIN, null))
                .expectRefusal(RULE_BROKEN);
        ledger.when(new RecordMatchCommand("m-1", "lubien", "enemy", null, null))
                .expectRefusal(RULE_BROKEN);
        ledger.when(new RecordMatchCommand("m-1", null, "enemy", Outcome.WIN, null))
                .expectRefusal(RULE_BROKEN);
        ledger.when(new RecordMatchCommand("m-1", "lubien", null, Outcome.DRAW, null))
                .expectRefusal(RULE_BROKEN);
    }

    @Test
    void aPlayerIdCannotNameAnotherStream() {
        // "match:m-1" and "adjustment:a-1" are streams of the same store; loaded as a player they would read as an
        // empty ledger, and the match would be written into the middle of another stream.
        ledger.when(win("m-1", "lubien", "enemy")).when(new AdjustPointsCommand("enemy", "a-1", 5, "bonus"));

        ledger.when(win("m-2", "match:m-1", "lubien")).expectRefusal(RULE_BROKEN);
        ledger.when(draw("m-3", "lubien", "adjustment:a-1")).expectRefusal(RULE_BROKEN);

        assertThat(ledger.eventsOf("match:m-1")).hasSize(1);
        assertThat(ledger.eventsOf("adjustment:a-1")).hasSize(1);
    }

    private static RecordMatchCommand win(String matchId, String winner, String loser) {
        return new RecordMatchCommand(matchId, winner, loser, Outcome.WIN, null);
    }

    private static RecordMatchCommand draw(String matchId, String one, String other) {
        return new RecordMatchCommand(matchId, one, other, Outcome.DRAW, null);
    }

    /** The settlement of a match recorded at {@link LedgerFixture#NOW}, with the two totals right after it. */
    private static MatchSettlement settlement(
            String matchId, MatchResult firstResult, String first, long firstTotal, String second, long secondTotal) {
        boolean decisive = firstResult == WIN;
        Share firstShare = new Share(first, firstResult, decisive ? 3 : 1, firstTotal);
        Share secondShare = new Share(second, decisive ? LOSS : DRAW, decisive ? 0 : 1, secondTotal);
        return new MatchSettlement(
                matchId, decisive ? Outcome.WIN : Outcome.DRAW, List.of(firstShare, secondShare), NOW, NOW, false);
    }

    private static MatchSettlement replayed(MatchSettlement original) {
        return new MatchSettlement(
                original.matchId(),
                original.outcome(),
                original.players(),
                original.occurredAt(),
                original.recordedAt(),
                true);
    }
}
