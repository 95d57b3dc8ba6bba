package io.matchledger.core;

import static io.matchledger.core.LedgerFixture.NOW;
import static io.matchledger.core.api.LedgerRefusal.Reason.CONFLICT;
import static io.matchledger.core.api.LedgerRefusal.Reason.NOT_FOUND;
import static io.matchledger.core.api.LedgerRefusal.Reason.RULE_BROKEN;
import static io.matchledger.core.api.MatchResult.DRAW;
import static io.matchledger.core.api.MatchResult.LOSS;
import static io.matchledger.core.api.MatchResult.WIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.core.api.Share;
import io.matchledger.core.api.VoidMatchCommand;
import io.matchledger.core.api.VoidReceipt;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Voiding a match: a correction is a new event on both ledgers and on the match's own stream, never an edit; a match
 * is voided at most once and never un-voided; a void never takes a total below zero. Every test starts with two
 * registered players, Lubien and Enemy, at 0 points.
 */
class VoidRulesTest {

    private static final Instant LATER = NOW.plusSeconds(3600);
    private static final Instant MUCH_LATER = LATER.plusSeconds(3600);

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    @BeforeEach
    void twoRegisteredPlayers() {
        ledger.given("lubien", TestNames.registered("lubien", "Lubien"))
                .given("enemy", TestNames.registered("enemy", "Enemy"));
    }

    @Test
    void aVoidReversesTheMatchOnBothLedgersAndMarksItsOwnStream() {
        ledger.when(win("m-1", "enemy", "lubien"));

        ledger.clockAt(LATER)
                .when(new VoidMatchCommand("m-1", "  played on a bugged map  "))
                .expectEvents(
                        new MatchVoided("enemy", "m-1", "lubien", WIN, -3, "played on a bugged map", 0),
                        new MatchVoided("lubien", "m-1", "enemy", LOSS, 0, "played on a bugged map", 0),
                        new SettlementVoided(
                                "m-1",
                                "played on a bugged map",
                                List.of(new Share("enemy", WIN, -3, 0), new Share("lubien", LOSS, 0, 0))))
                .expectStreams("enemy", "lubien", "match:m-1")
                .expectResult(new VoidReceipt(
                        "m-1",
                        "played on a bugged map",
                        List.of(new Share("enemy", WIN, -3, 0), new Share("lubien", LOSS, 0, 0)),
                        LATER,
                        false));
    }

    @Test
    void aVoidedDrawTakesThePointFromEachPlayer() {
        ledger.when(draw("m-1", "lubien", "enemy"))
                .when(new VoidMatchCommand("m-1", "never played"))
                .expectEvents(
                        new MatchVoided("lubien", "m-1", "enemy", DRAW, -1, "never played", 0),
                        new MatchVoided("enemy", "m-1", "lubien", DRAW, -1, "never played", 0),
                        new SettlementVoided(
                                "m-1",
                                "never played",
                                List.of(new Share("lubien", DRAW, -1, 0), new Share("enemy", DRAW, -1, 0))));
    }

    @Test
    void theTotalAfterAVoidCountsEverythingThatHappenedSinceTheMatch() {
        // Not "the total as it was before the match": later matches and adjustments stay on the ledger.
        ledger.when(win("m-1", "enemy", "lubien"))
                .when(win("m-2", "enemy", "lubien"))
                .when(new AdjustPointsCommand("enemy", "a-1", 10, "tournament bonus"))
                .when(draw("m-3", "lubien", "enemy"));

        ledger.when(new VoidMatchCommand("m-1", "duplicate report"));

        VoidReceipt receipt = ledger.result();
        assertThat(receipt.reversals())
                .containsExactly(new Share("enemy", WIN, -3, 14), new Share("lubien", LOSS, 0, 1));
        // The ledger goes on from the reversed total.
        ledger.when(win("m-4", "lubien", "enemy"))
                .expectResult(new MatchSettlement(
                        "m-4",
                        Outcome.WIN,
                        List.of(new Share("lubien", WIN, 3, 4), new Share("enemy", LOSS, 0, 14)),
                        NOW,
                        NOW,
                        false));
    }

    @Test
    void voidingAgainAnswersTheFirstVoidAndChangesNothing() {
        ledger.when(win("m-1", "enemy", "lubien")).clockAt(LATER).when(new VoidMatchCommand("m-1", "bugged map"));
        VoidReceipt first = ledger.result();

        // Later, with the totals moved on, and even with another reason: a match is voided once, by its id.
        ledger.clockAt(MUCH_LATER).when(new AdjustPointsCommand("enemy", "a-1", 5, "bonus"));
        ledger.when(new VoidMatchCommand("m-1", "bugged map")).expectNoEvents().expectResult(replayed(first));
        ledger.when(new VoidMatchCommand("m-1", "another reason"))
                .expectNoEvents()
                .expectResult(replayed(first));
        assertThat(first.voidedAt()).isEqualTo(LATER);
        assertThat(first.reason()).isEqualTo("bugged map");
        assertThat(ledger.eventsOf("match:m-1")).hasSize(2);
    }

    @Test
    void aVoidHoldsAcrossARestart() {
        ledger.when(win("m-1", "enemy", "lubien")).when(new VoidMatchCommand("m-1", "bugged map"));
        VoidReceipt first = ledger.result();

        ledger.restart()
                .when(new VoidMatchCommand("m-1", "bugged map"))
                .expectNoEvents()
                .expectResult(replayed(first));
        // Loaded from the store, not from the cache: the reversal is part of the total.
        ledger.when(new AdjustPointsCommand("enemy", "a-1", 1, "check"))
                .expectResult(new AdjustmentReceipt("a-1", "enemy", 1, "check", 1, NOW, false));
    }

    @Test
    void aVoidedMatchStaysRecordedSoAnIdenticalRetryStillAnswersTheOriginalSettlement() {
        ledger.when(win("m-1", "enemy", "lubien"));
        MatchSettlement original = ledger.result();
        ledger.when(new VoidMatchCommand("m-1", "bugged map"));

        // The game server retrying the original report must not record the match again, nor be told it failed.
        ledger.when(win("m-1", "enemy", "lubien"))
                .expectNoEvents()
                .expectResult(new MatchSettlement(
                        original.matchId(),
                        original.outcome(),
                        original.players(),
                        original.occurredAt(),
                        original.recordedAt(),
                        true));
        ledger.when(win("m-1", "lubien", "enemy")).expectRefusal(CONFLICT);
    }

    @Test
    void aVoidOfAMatchThatWasNeverRecordedIsNotFound() {
        ledger.when(new VoidMatchCommand("m-404", "typo")).expectRefusal(NOT_FOUND);

        assertThat(ledger.eventsOf("match:m-404")).isEmpty();
    }

    @Test
    void aPlayerIsNotAMatch() {
        // "lubien" names a player's stream; the match stream would be "match:lubien", which does not exist.
        ledger.when(new VoidMatchCommand("lubien", "typo")).expectRefusal(NOT_FOUND);

        assertThat(ledger.eventsOf("lubien"))
                .map(TestNames::opened)
                .containsExactly(TestNames.registeredAs("lubien", "Lubien"));
    }

    @Test
    void aVoidThatWouldTakeATotalBelowZeroIsRefusedAndChangesNeitherLedger() {
        // Lubien spent the point of the draw on an adjustment; Enemy (loaded and checked first) still has it.
        ledger.when(draw("m-1", "lubien", "enemy")).when(new AdjustPointsCommand("lubien", "a-1", -1, "penalty"));

        ledger.when(new VoidMatchCommand("m-1", "never played")).expectRefusal(RULE_BROKEN);

        assertThat(ledger.eventsOf("match:m-1")).hasSize(1);
        // Neither ledger moved, not even in memory: Enemy still has the point of the draw.
        ledger.when(new AdjustPointsCommand("enemy", "a-2", 5, "check"))
                .expectResult(new AdjustmentReceipt("a-2", "enemy", 5, "check", 6, NOW, false));
        // Once an admin has given the point back, the void goes through.
        ledger.when(new AdjustPointsCommand("lubien", "a-3", 1, "penalty withdrawn"))
                .when(new VoidMatchCommand("m-1", "never played"))
                .expectEvents(
                        new MatchVoided("lubien", "m-1", "enemy", DRAW, -1, "never played", 0),
                        new MatchVoided("enemy", "m-1", "lubien", DRAW, -1, "never played", 5),
                        new SettlementVoided(
                                "m-1",
                                "never played",
                                List.of(new Share("lubien", DRAW, -1, 0), new Share("enemy", DRAW, -1, 5))));
    }

    @Test
    void aVoidRefusedForTheFirstLedgerInLockOrderChangesNothingEither() {
        // Enemy sorts before Lubien, so its ledger is loaded and checked first.
        ledger.given("enemy", new PointsAdjusted("enemy", "opening-enemy", 2, "opening balance", 2))
                .when(win("m-1", "enemy", "lubien"))
                .when(new AdjustPointsCommand("enemy", "a-1", -5, "penalty"));

        ledger.when(new VoidMatchCommand("m-1", "bugged map")).expectRefusal(RULE_BROKEN);

        assertThat(ledger.eventsOf("lubien")).hasSize(2);
    }

    @Test
    void aVoidMayTakeATotalToExactlyZero() {
        ledger.when(win("m-1", "lubien", "enemy"))
                .when(new VoidMatchCommand("m-1", "bugged map"))
                .expectStreams("lubien", "enemy", "match:m-1");

        VoidReceipt receipt = ledger.result();
        assertThat(receipt.reversals()).extracting(Share::totalAfter).containsExactly(0L, 0L);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "double\nline", "bell\u0007"})
    void aVoidNeedsAReasonWithoutControlCharacters(String reason) {
        ledger.when(win("m-1", "enemy", "lubien"));

        ledger.when(new VoidMatchCommand("m-1", reason)).expectRefusal(RULE_BROKEN);
    }

    @Test
    void aReasonOfMoreThanFiveHundredCharactersIsRefused() {
        ledger.when(win("m-1", "enemy", "lubien"));

        ledger.when(new VoidMatchCommand("m-1", "r".repeat(501))).expectRefusal(RULE_BROKEN);
        ledger.when(new VoidMatchCommand("m-1", "r".repeat(500))).expectStreams("enemy", "lubien", "match:m-1");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "m 1", "-m-1", "m/1"})
    void aMatchIdOutsideTheContractsShapeIsRefused(String matchId) {
        ledger.when(new VoidMatchCommand(matchId, "typo")).expectRefusal(RULE_BROKEN);
    }

    private static RecordMatchCommand win(String matchId, String winner, String loser) {
        return new RecordMatchCommand(matchId, winner, loser, Outcome.WIN, null);
    }

    private static RecordMatchCommand draw(String matchId, String one, String other) {
        return new RecordMatchCommand(matchId, one, other, Outcome.DRAW, null);
    }

    private static VoidReceipt replayed(VoidReceipt first) {
        return new VoidReceipt(first.matchId(), first.reason(), first.reversals(), first.voidedAt(), true);
    }
}
