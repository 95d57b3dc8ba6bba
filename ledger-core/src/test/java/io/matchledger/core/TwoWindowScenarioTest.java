package io.matchledger.core;

import static io.matchledger.core.LedgerFixture.NOW;
import static io.matchledger.core.api.LedgerRefusal.Reason.RULE_BROKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.Share;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The acceptance scenario of the contract, at the level of the domain. */
class TwoWindowScenarioTest {

    @RegisterExtension
    final LedgerFixture ledger = new LedgerFixture();

    @Test
    void aDrawDeclaredFromAStaleWindowCountsFromTheCurrentTotals() {
        ledger.given("lubien", TestNames.registered("lubien", "Lubien"))
                .given("enemy", TestNames.registered("enemy", "Enemy"))
                .when(new AdjustPointsCommand("lubien", "opening-lubien", 104, "opening balance"))
                .when(new AdjustPointsCommand("enemy", "opening-enemy", 72, "opening balance"));

        for (int loss = 1; loss <= 10; loss++) {
            ledger.when(new RecordMatchCommand("loss-" + loss, "enemy", "lubien", Outcome.WIN, null));
        }
        MatchSettlement tenth = ledger.result();
        assertThat(tenth.players())
                .extracting(Share::playerId, Share::totalAfter)
                .containsExactly(tuple("enemy", 102L), tuple("lubien", 104L));

        // Enemy's window still shows 72 points; a command carries no total, so the stale view cannot leak in.
        ledger.when(new RecordMatchCommand("draw-1", "enemy", "lubien", Outcome.DRAW, null))
                .expectEvents(
                        new MatchRecorded("enemy", "draw-1", "lubien", MatchResult.DRAW, 1, 103, NOW),
                        new MatchRecorded("lubien", "draw-1", "enemy", MatchResult.DRAW, 1, 105, NOW),
                        new MatchSettled(
                                "draw-1",
                                Outcome.DRAW,
                                List.of(
                                        new Share("enemy", MatchResult.DRAW, 1, 103),
                                        new Share("lubien", MatchResult.DRAW, 1, 105)),
                                NOW));
        MatchSettlement draw = ledger.result();
        assertThat(draw.players())
                .extracting(Share::playerId, Share::totalAfter)
                .containsExactly(tuple("enemy", 103L), tuple("lubien", 105L));

        // And after a restart, when the ledgers load from their snapshots and events instead of the cache.
        ledger.restart()
                .when(new AdjustPointsCommand("lubien", "check-lubien", -105, "back to zero"))
                .expectResult(new AdjustmentReceipt("check-lubien", "lubien", -105, "back to zero", 0, NOW, false));
        ledger.when(new AdjustPointsCommand("enemy", "check-enemy", -104, "one more than there is"))
                .expectRefusal(RULE_BROKEN);
    }
}
