package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.SealedName;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snapshots bound the work of loading a ledger; they must never change what it adds up to. The fixture stores them
 * as JSON with the service's serializer, as a real event store does.
 */
class PlayerSnapshotTest {

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    @BeforeEach
    void twoRegisteredPlayers() {
        ledger.given("lubien", TestNames.registered("lubien", "Lubien"))
                .given("enemy", TestNames.registered("enemy", "Enemy"));
    }

    @Test
    void aBusyLedgerIsSnapshottedAndStillAddsUpWhenLoadedFromTheSnapshot() {
        for (int match = 1; match <= 4; match++) {
            ledger.when(win("m-" + match));
        }

        DomainEventMessage<?> snapshot = ledger.snapshotOf("lubien").orElseThrow();
        assertThat(snapshot.getType()).isEqualTo("Player");
        assertThat(snapshot.getSequenceNumber()).isPositive();
        // The snapshot holds the total of the ledger exactly at the event it was taken after.
        MatchRecorded atSnapshot = (MatchRecorded) ledger.eventsOf("lubien").get((int) snapshot.getSequenceNumber());
        assertThat(snapshot.getPayload())
                .isInstanceOf(Player.class)
                .extracting("playerId", "points")
                .containsExactly("lubien", atSnapshot.totalAfter());
        // The name as the events hold it: sealed, never in plain text (ADR 0019).
        assertThat(snapshot.getPayload())
                .extracting("name")
                .satisfies(name -> assertThat(TestNames.PERSONAL.open("lubien", (SealedName) name))
                        .contains("Lubien"));
        // The repository reads the snapshot first, then only the events after it.
        List<DomainEventMessage<?>> asLoaded = ledger.streamAsLoaded("lubien");
        assertThat(asLoaded.get(0).getPayload()).isInstanceOf(Player.class);
        assertThat(asLoaded).hasSize(ledger.eventsOf("lubien").size() - (int) snapshot.getSequenceNumber());

        // A new process has no cached ledger: it loads from the snapshot, twice in a row to catch counting twice.
        ledger.restart().when(win("m-5"));
        assertThat(totals()).containsExactly(tuple("lubien", 15L), tuple("enemy", 0L));
        ledger.restart().when(win("m-6"));
        assertThat(totals()).containsExactly(tuple("lubien", 18L), tuple("enemy", 0L));
    }

    @Test
    void aSnapshotWrittenByAnotherVersionOfThePlayerStillLoads() {
        // An unknown field (from a newer version) and a missing one (from an older version) must not matter.
        // The snapshot deliberately disagrees with the events (40, not 50): only a ledger that was really loaded from
        // it answers 43. Axon silently falls back to the events when a snapshot cannot be read, so agreeing numbers
        // would prove nothing.
        ledger.given("lubien", new PointsAdjusted("lubien", "opening-lubien", 50, "opening balance", 50))
                .givenPlayerSnapshot("lubien", 1, """
                      {"playerId":"lubien","points":40,"rank":7}
                      """);

        ledger.when(win("m-1"));

        assertThat(totals()).containsExactly(tuple("lubien", 43L), tuple("enemy", 0L));
    }

    @Test
    void aSnapshotThatCannotBeReadIsIgnoredAndTheLedgerIsRebuiltFromItsEvents() {
        ledger.given("lubien", new PointsAdjusted("lubien", "opening-lubien", 50, "opening balance", 50))
                .givenPlayerSnapshot("lubien", 1, """
                      {"playerId":"lubien","points":"many"}
                      """);

        ledger.when(win("m-1"));

        assertThat(totals()).containsExactly(tuple("lubien", 53L), tuple("enemy", 0L));
    }

    private static RecordMatchCommand win(String matchId) {
        return new RecordMatchCommand(matchId, "lubien", "enemy", Outcome.WIN, null);
    }

    private List<Tuple> totals() {
        MatchSettlement settlement = ledger.result();
        return settlement.players().stream()
                .map(share -> tuple(share.playerId(), share.totalAfter()))
                .toList();
    }
}
