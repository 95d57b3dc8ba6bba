package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.ErasePlayerCommand;
import io.matchledger.core.api.Erasure;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.MatchAnswer;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PlayerErased;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.VoidMatchCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Erasing a player (ADR 0019): the event on their ledger, their key destroyed in the same unit of work, every name
 * sealed under it unreadable; the ledger itself stands; the id retired for new registrations and matches.
 */
class ErasureRulesTest {

    static final String REASON = "GDPR art. 17, request 2026-0042";

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    PlayerRegistered ada;

    @BeforeEach
    void twoPlayersWithAMatch() {
        ada = TestNames.registered("p-1", "Ada Lovelace");
        ledger.given("p-1", ada).given("p-2", TestNames.registered("p-2", "Enemy"));
        ledger.when(new RecordMatchCommand("m-1", "p-1", "p-2", Outcome.WIN, null));
    }

    @Test
    void anErasureIsAnEventWithoutPersonalDataAndDestroysTheKey() {
        ledger.when(new ErasePlayerCommand("p-1", "  " + REASON + " "))
                .expectEvents(new PlayerErased("p-1", REASON))
                .expectStreams("p-1")
                .expectResult(new Erasure("p-1", REASON, LedgerFixture.NOW, false));

        assertThat(TestNames.PERSONAL.hasKey("p-1")).isFalse();
        // The registration is in the store as it was, byte for byte, and its name opens no more.
        assertThat(ledger.eventsOf("p-1").get(0)).isEqualTo(ada);
        assertThat(TestNames.PERSONAL.open("p-1", ada.name())).isEmpty();
        // The other player keeps theirs.
        assertThat(TestNames.PERSONAL.hasKey("p-2")).isTrue();
    }

    @Test
    void aSecondErasureAnswersTheFirstAndAppendsNothing() {
        ledger.when(new ErasePlayerCommand("p-1", REASON));
        ledger.clockAt(LedgerFixture.NOW.plusSeconds(60))
                .when(new ErasePlayerCommand("p-1", "another reason"))
                .expectNoEvents()
                .expectResult(new Erasure("p-1", REASON, LedgerFixture.NOW, true));
        // From a snapshot or the events alike: a new process answers the same.
        ledger.restart()
                .when(new ErasePlayerCommand("p-1", "a third reason"))
                .expectNoEvents()
                .expectResult(new Erasure("p-1", REASON, LedgerFixture.NOW, true));
    }

    @Test
    void aRepeatedErasureDestroysAKeyThatOutlivedTheFirst() {
        // On Axon Server the key lives in another store than the event: a repeat completes an erasure cut off between.
        ledger.when(new ErasePlayerCommand("p-1", REASON));
        TestNames.PERSONAL.seal("p-1", "a key made again behind the ledger's back");
        assertThat(TestNames.PERSONAL.hasKey("p-1")).isTrue();

        ledger.when(new ErasePlayerCommand("p-1", REASON)).expectNoEvents();

        assertThat(TestNames.PERSONAL.hasKey("p-1")).isFalse();
    }

    @Test
    void anUnknownPlayerIsNotFound() {
        ledger.when(new ErasePlayerCommand("nobody", REASON)).expectRefusal(LedgerRefusal.Reason.NOT_FOUND);
        // A stream that is not a player's ledger is no player, even when its id looks like one.
        ledger.given(SeasonCalendar.ID, new PlayerErased("decoy", "not a player's stream"))
                .when(new ErasePlayerCommand(SeasonCalendar.ID, REASON))
                .expectRefusal(LedgerRefusal.Reason.NOT_FOUND);
    }

    @Test
    void aReasonThatNamesThePlayerIsRefusedAndChangesNothing() {
        ledger.when(new ErasePlayerCommand("p-1", "asked by ada lovelace by mail"))
                .expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        assertThat(ledger.failure()).hasMessageNotContaining("Ada").hasMessageNotContaining("ada");

        assertThat(TestNames.PERSONAL.open("p-1", ada.name())).contains("Ada Lovelace");
    }

    @Test
    void aReasonIsRequired() {
        ledger.when(new ErasePlayerCommand("p-1", " ")).expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        ledger.when(new ErasePlayerCommand("p-1", null)).expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        ledger.when(new ErasePlayerCommand("p-1", "x".repeat(501))).expectRefusal(LedgerRefusal.Reason.RULE_BROKEN);
        assertThat(TestNames.PERSONAL.hasKey("p-1")).isTrue();
    }

    @Test
    void theIdStaysRetired() {
        ledger.when(new ErasePlayerCommand("p-1", REASON));

        ledger.when(new RegisterPlayerCommand("p-1", "Ada Lovelace")).expectRefusal(LedgerRefusal.Reason.ERASED);
        ledger.when(new RegisterPlayerCommand("p-1", "Someone Else")).expectRefusal(LedgerRefusal.Reason.ERASED);
        assertThat(TestNames.PERSONAL.hasKey("p-1")).isFalse();
    }

    @Test
    void anErasedPlayerPlaysNoMoreOnEitherSide() {
        ledger.when(new ErasePlayerCommand("p-1", REASON));

        ledger.when(new RecordMatchCommand("m-2", "p-2", "p-1", Outcome.WIN, null))
                .expectRefusal(LedgerRefusal.Reason.ERASED);
        ledger.when(new RecordMatchCommand("m-3", "p-1", "p-2", Outcome.DRAW, null))
                .expectRefusal(LedgerRefusal.Reason.ERASED);
        // A retry of a match recorded before is still a retry.
        ledger.when(new RecordMatchCommand("m-1", "p-1", "p-2", Outcome.WIN, null))
                .expectNoEvents();
        assertThat(ledger.failure()).isNull();
    }

    @Test
    void inAGroupOnlyTheMatchOfTheErasedPlayerIsRefused() {
        ledger.given("p-3", TestNames.registered("p-3", "Third")).when(new ErasePlayerCommand("p-1", REASON));

        ledger.when(new RecordMatchesCommand(List.of(
                new RecordMatchesCommand.Entry(
                        new RecordMatchCommand("m-2", "p-2", "p-1", Outcome.WIN, null), Map.of()),
                new RecordMatchesCommand.Entry(
                        new RecordMatchCommand("m-3", "p-2", "p-3", Outcome.WIN, null), Map.of()))));

        List<MatchAnswer> answers = ledger.result();
        assertThat(answers.get(0).refusal()).isEqualTo(LedgerRefusal.Reason.ERASED);
        assertThat(answers.get(1).settlement()).isNotNull();
        assertThat(ledger.appended()).hasSize(3); // m-3 on both ledgers and its own stream; nothing of m-2
    }

    @Test
    void correctionsOfAnErasedPlayersLedgerStillWork() {
        // Voids and adjustments correct the history the other players' totals stand on.
        ledger.when(new ErasePlayerCommand("p-1", REASON));

        ledger.when(new VoidMatchCommand("m-1", "bugged map"));
        assertThat(ledger.failure()).isNull();
        ledger.when(new AdjustPointsCommand("p-1", "a-1", 5, "compensation"));
        assertThat(ledger.failure()).isNull();
    }

    @Test
    void aSnapshotTakenAfterTheErasureHoldsNoName() {
        ledger.when(new ErasePlayerCommand("p-1", REASON));
        for (int i = 0; i < LedgerFixture.SNAPSHOT_THRESHOLD; i++) {
            ledger.when(new AdjustPointsCommand("p-1", "a-" + i, 1, "compensation"));
        }

        Object snapshot = ledger.snapshotOf("p-1").orElseThrow().getPayload();
        assertThat(snapshot).extracting("name", "erasureReason").containsExactly(null, REASON);
        // Loaded from that snapshot, the player is still erased.
        ledger.restart().when(new RegisterPlayerCommand("p-1", "Ada")).expectRefusal(LedgerRefusal.Reason.ERASED);
    }
}
