package io.matchledger.core;

import static io.matchledger.core.LedgerFixture.NOW;
import static io.matchledger.core.api.LedgerRefusal.Reason.CONFLICT;
import static io.matchledger.core.api.LedgerRefusal.Reason.NOT_FOUND;
import static io.matchledger.core.api.LedgerRefusal.Reason.RULE_BROKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentBooked;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.RecordMatchCommand;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adjusting a ledger: corrections are new events with a reason, a total never goes below zero, and the adjustment id
 * is a permanent, global idempotency key. Every test starts with Lubien registered at 0 points.
 */
class AdjustmentRulesTest {

    private static final Instant LATER = NOW.plusSeconds(3600);

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    @BeforeEach
    void aRegisteredPlayer() {
        ledger.given("lubien", TestNames.registered("lubien", "Lubien"));
    }

    @Test
    void anOpeningBalanceAddsPointsWithItsReason() {
        ledger.when(new AdjustPointsCommand("lubien", "opening-lubien", 104, "  opening balance from legacy  "))
                .expectEvents(
                        new PointsAdjusted("lubien", "opening-lubien", 104, "opening balance from legacy", 104),
                        new AdjustmentBooked("opening-lubien", "lubien", 104, "opening balance from legacy", 104))
                .expectStreams("lubien", "adjustment:opening-lubien")
                .expectResult(new AdjustmentReceipt(
                        "opening-lubien", "lubien", 104, "opening balance from legacy", 104, NOW, false));
    }

    @Test
    void aNegativeAdjustmentRemovesPoints() {
        ledger.given("lubien", new PointsAdjusted("lubien", "a-1", 10, "bonus", 10))
                .when(new AdjustPointsCommand("lubien", "a-2", -4, "bonus given twice"))
                .expectEvents(
                        new PointsAdjusted("lubien", "a-2", -4, "bonus given twice", 6),
                        new AdjustmentBooked("a-2", "lubien", -4, "bonus given twice", 6))
                .expectResult(new AdjustmentReceipt("a-2", "lubien", -4, "bonus given twice", 6, NOW, false));
    }

    @Test
    void anAdjustmentCountsWhatTheMatchesGaveAsWell() {
        // The total is the whole ledger: match points and adjustments alike.
        ledger.given("enemy", TestNames.registered("enemy", "Enemy"))
                .when(new RecordMatchCommand("m-1", "lubien", "enemy", Outcome.WIN, null))
                .when(new AdjustPointsCommand("lubien", "a-1", -3, "match m-1 was a bug"))
                .expectEvents(
                        new PointsAdjusted("lubien", "a-1", -3, "match m-1 was a bug", 0),
                        new AdjustmentBooked("a-1", "lubien", -3, "match m-1 was a bug", 0));
    }

    @Test
    void anAdjustmentMayTakeTheTotalToExactlyZero() {
        ledger.given("lubien", new MatchRecorded("lubien", "m-1", "enemy", MatchResult.WIN, 3, 3, NOW))
                .when(new AdjustPointsCommand("lubien", "a-1", -3, "reset"))
                .expectEvents(
                        new PointsAdjusted("lubien", "a-1", -3, "reset", 0),
                        new AdjustmentBooked("a-1", "lubien", -3, "reset", 0));
    }

    @Test
    void anAdjustmentThatWouldTakeTheTotalBelowZeroIsRefused() {
        ledger.given("lubien", new MatchRecorded("lubien", "m-1", "enemy", MatchResult.WIN, 3, 3, NOW))
                .when(new AdjustPointsCommand("lubien", "a-1", -4, "too much"))
                .expectRefusal(RULE_BROKEN);

        assertThat(ledger.eventsOf("adjustment:a-1")).isEmpty();
        // The refused id was not used up: the corrected adjustment goes through under the same id.
        ledger.when(new AdjustPointsCommand("lubien", "a-1", -3, "just enough"))
                .expectEvents(
                        new PointsAdjusted("lubien", "a-1", -3, "just enough", 0),
                        new AdjustmentBooked("a-1", "lubien", -3, "just enough", 0));
    }

    @Test
    void aNewPlayerCannotStartBelowZero() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", -1, "penalty")).expectRefusal(RULE_BROKEN);
    }

    @Test
    void anAdjustmentOfZeroPointsIsRefused() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 0, "nothing")).expectRefusal(RULE_BROKEN);
    }

    @Test
    void anIdenticalRetryReturnsTheOriginalReceiptAndChangesNothing() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"));
        AdjustmentReceipt original = ledger.result();

        // Later, and the total has moved on: the retry answers what the adjustment did back then.
        ledger.clockAt(LATER).when(new AdjustPointsCommand("lubien", "a-2", 7, "bonus"));
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, " bonus "))
                .expectNoEvents()
                .expectResult(new AdjustmentReceipt("a-1", "lubien", 5, "bonus", 5, NOW, true));
        assertThat(original).isEqualTo(new AdjustmentReceipt("a-1", "lubien", 5, "bonus", 5, NOW, false));
    }

    @Test
    void aRetryHoldsAcrossARestart() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"));

        ledger.restart()
                .when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"))
                .expectNoEvents()
                .expectResult(new AdjustmentReceipt("a-1", "lubien", 5, "bonus", 5, NOW, true));
    }

    @Test
    void theSameAdjustmentIdWithOtherPointsIsAConflict() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"));

        ledger.when(new AdjustPointsCommand("lubien", "a-1", 6, "bonus")).expectRefusal(CONFLICT);
        ledger.when(new AdjustPointsCommand("lubien", "a-1", -5, "bonus")).expectRefusal(CONFLICT);
    }

    @Test
    void theSameAdjustmentIdWithAnotherReasonIsAConflict() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"));

        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "Bonus")).expectRefusal(CONFLICT);
    }

    @Test
    void anAdjustmentIdIsGlobalSoTheSameIdOnAnotherPlayerIsAConflict() {
        ledger.given("enemy", TestNames.registered("enemy", "Enemy"))
                .when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"));

        ledger.when(new AdjustPointsCommand("enemy", "a-1", 5, "bonus")).expectRefusal(CONFLICT);
        assertThat(ledger.eventsOf("enemy"))
                .map(TestNames::opened)
                .containsExactly(TestNames.registeredAs("enemy", "Enemy"));
    }

    @Test
    void theSameAdjustmentIdOnAPlayerWhoIsNotRegisteredIsStillAConflict() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"));

        // The player's ledger is looked for first (the lock order), but the key decides what the answer is.
        ledger.when(new AdjustPointsCommand("stranger", "a-1", 5, "bonus")).expectRefusal(CONFLICT);
    }

    @Test
    void anAdjustmentNamesItsPlayer() {
        ledger.when(new AdjustPointsCommand(null, "a-1", 5, "bonus")).expectRefusal(RULE_BROKEN);
    }

    @Test
    void anAdjustmentForAnUnregisteredPlayerIsRefused() {
        ledger.when(new AdjustPointsCommand("stranger", "a-1", 5, "bonus")).expectRefusal(NOT_FOUND);
        assertThat(ledger.eventsOf("stranger")).isEmpty();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "double\nline", "bell\u0007"})
    void anAdjustmentNeedsAReasonWithoutControlCharacters(String reason) {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, reason)).expectRefusal(RULE_BROKEN);
    }

    @Test
    void aReasonOfMoreThanFiveHundredCharactersIsRefused() {
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "r".repeat(501)))
                .expectRefusal(RULE_BROKEN);
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "r".repeat(500)))
                .expectStreams("lubien", "adjustment:a-1");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "a 1", "-a-1", "a/1"})
    void anAdjustmentIdOutsideTheContractsShapeIsRefused(String adjustmentId) {
        ledger.when(new AdjustPointsCommand("lubien", adjustmentId, 5, "bonus")).expectRefusal(RULE_BROKEN);
    }

    @Test
    void aPlayerIdCannotNameAnotherStream() {
        // Loaded as a player, a key stream would read as a ledger at 0 points, and the adjustment would be written
        // into the middle of it.
        ledger.when(new AdjustPointsCommand("lubien", "a-1", 5, "bonus"));

        ledger.when(new AdjustPointsCommand("adjustment:a-1", "a-2", 5, "bonus"))
                .expectRefusal(RULE_BROKEN);

        assertThat(ledger.eventsOf("adjustment:a-1")).hasSize(1);
    }
}
