package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.projections.MigratedH2;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rebuild's swap ({@link TableSwap}) cut off after each of its steps on H2, where each rename commits on its own,
 * and the recovery at the next start ({@link InterruptedSwaps}): before the decision the live model stays, after it
 * the rebuilt one is live, and either way the twins are empty, the rebuild's token gone and the swap's row with them.
 * On a migrated in-memory H2 without Spring: the states a kill leaves are the ones the steps made, since nothing of
 * them waits for a commit. ({@code InterruptedSwapTest} does the same across real restarts on an H2 file.)
 */
class SwapCutOffTest {

    static final String GROUP = "read-models";
    static final List<String> TABLES = List.of("player_standing", "points_tally");

    static MigratedH2 db;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    /** The live model holds "live" at 1 point, the rebuilt twin "rebuilt" at 2; the rebuild's token is stored. */
    private void liveAndRebuilt() {
        db.jdbc.update("delete from " + TableSwap.SWAPS);
        db.jdbc.update("delete from token_entry");
        for (String table :
                List.of("player_standing", "player_standing_rebuild", "points_tally", "points_tally_rebuild")) {
            db.jdbc.update("delete from " + table);
        }
        standing("player_standing", "live", 1);
        standing("player_standing_rebuild", "rebuilt", 2);
        token(GROUP + "_rebuild", 0);
    }

    private void standing(String table, String playerId, long points) {
        db.jdbc.update(
                "insert into " + table + " (player_id, name, points, wins, draws, losses, matches, reached_at, "
                        + "last_sequence) values (?, ?, ?, 0, 0, 0, 0, 0, 0)",
                playerId,
                playerId,
                points);
        db.jdbc.update(
                "insert into " + table.replace("player_standing", "points_tally")
                        + " (points, players, version) values (?, 1, 0)",
                points);
    }

    private void token(String processor, int segment) {
        db.jdbc.update(
                "insert into token_entry (processor_name, segment, timestamp) values (?, ?, '2026-12-01T00:00:00Z')",
                processor,
                segment);
    }

    private List<String> players(String table) {
        return db.jdbc.queryForList("select player_id from " + table + " order by player_id", String.class);
    }

    private List<Long> totals(String table) {
        return db.jdbc.queryForList("select points from " + table + " order by points", Long.class);
    }

    private List<String> tokens() {
        return db.jdbc.queryForList(
                "select processor_name || ':' || segment from token_entry order by processor_name, segment",
                String.class);
    }

    @Test
    void aSwapCutOffAfterAnyStepIsFinishedOrUndoneAtTheNextStart() {
        TableSwap swap = new TableSwap(db.jdbc, GROUP, TABLES);
        // The decision's write: the live processor's token, stored as the rebuilt model's.
        Runnable storeTokens = () -> token(GROUP, 7);
        List<TableSwap.Step> steps = swap.steps(storeTokens);
        int decide = steps.stream().map(TableSwap.Step::name).toList().indexOf("decide");
        assertThat(steps)
                .extracting(TableSwap.Step::toString)
                .startsWith(
                        "begin",
                        "park player_standing_rebuild as player_standing_next",
                        "park points_tally_rebuild as points_tally_next",
                        "decide");
        assertThat(steps).hasSize(1 + 2 + 1 + 2 + 2 + 2 + 1);

        for (int done = 1; done < steps.size(); done++) {
            liveAndRebuilt();
            steps.subList(0, done).forEach(step -> step.action().run());

            List<InterruptedSwaps.Recovered> recovered = InterruptedSwaps.recover(db.jdbc);

            boolean decided = done > decide;
            String after = "cut off after " + steps.get(done - 1);
            assertThat(recovered).as(after).containsExactly(new InterruptedSwaps.Recovered(GROUP, decided));
            assertThat(players("player_standing")).as(after).containsExactly(decided ? "rebuilt" : "live");
            assertThat(totals("points_tally")).as(after).containsExactly(decided ? 2L : 1L);
            assertThat(players("player_standing_rebuild")).as(after).isEmpty();
            assertThat(totals("points_tally_rebuild")).as(after).isEmpty();
            assertThat(tokens()).as(after).isEqualTo(decided ? List.of(GROUP + ":7") : List.of());
            assertThat(db.jdbc.queryForObject("select count(*) from " + TableSwap.SWAPS, Integer.class))
                    .as(after)
                    .isZero();
            assertThat(InterruptedSwaps.recover(db.jdbc))
                    .as(after + ", then started again")
                    .isEmpty();
        }
    }

    @Test
    void aWholeSwapNeedsNoRecoveryAndLeavesTheFormerLiveModelInTheTwin() {
        liveAndRebuilt();

        new TableSwap(db.jdbc, GROUP, TABLES).run(() -> token(GROUP, 7));

        assertThat(InterruptedSwaps.recover(db.jdbc)).isEmpty();
        assertThat(players("player_standing")).containsExactly("rebuilt");
        assertThat(players("player_standing_rebuild")).containsExactly("live");
        assertThat(totals("points_tally")).containsExactly(2L);
    }

    @Test
    void aDecisionWithNoSwapUnderWayFailsTheSwap() {
        liveAndRebuilt();
        List<TableSwap.Step> steps = new TableSwap(db.jdbc, GROUP, TABLES).steps(() -> {});

        assertThatThrownBy(() -> steps.get(3).action().run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no swap of read-models under way to decide");
    }

    @Test
    void aTableParkedByTheEarlierSwapIsPutBackWithTheRebuiltRowsLive() {
        liveAndRebuilt();
        // The earlier swap renamed in place: live to _swapping, twin to live, and was cut off there.
        db.jdbc.execute(TableSwap.renameSql("player_standing", "player_standing_swapping"));
        db.jdbc.execute(TableSwap.renameSql("player_standing_rebuild", "player_standing"));

        assertThat(InterruptedSwaps.recover(db.jdbc))
                .containsExactly(new InterruptedSwaps.Recovered("player_standing", true));
        assertThat(players("player_standing")).containsExactly("rebuilt");
        assertThat(players("player_standing_rebuild")).isEmpty();
    }

    @Test
    void aStateNoStepLeavesStopsTheStartNamingWhatItFound() {
        // A schema of its own: this one is left broken.
        MigratedH2 shared = db;
        db = MigratedH2.fresh();
        try {
            liveAndRebuilt();
            db.jdbc.update(
                    "insert into " + TableSwap.SWAPS + " (processing_group, tables, decided) values (?, ?, true)",
                    GROUP,
                    String.join(",", TABLES));
            db.jdbc.execute(TableSwap.renameSql("points_tally_rebuild", "points_tally_old"));
            db.jdbc.execute(TableSwap.renameSql("points_tally", "points_tally_next"));
            db.jdbc.execute("create table points_tally_rebuild (points bigint)");

            // A retired table whose twin's name is taken: no rename over a table.
            assertThatThrownBy(() -> InterruptedSwaps.recover(db.jdbc))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot recover the swap of projection read-models: points_tally_old is to become "
                            + "points_tally_rebuild, which exists (ADR 0016)");

            // Undecided, with a twin gone (the first recovery got as far as the live tables): nothing to rename, and
            // the end state is not a whole model.
            db.jdbc.update("update " + TableSwap.SWAPS + " set decided = false");
            db.jdbc.execute("drop table points_tally_rebuild");
            db.jdbc.execute(TableSwap.renameSql("points_tally_old", "points_tally_elsewhere"));
            assertThatThrownBy(() -> InterruptedSwaps.recover(db.jdbc))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot recover the swap of projection read-models (decided: false): the "
                            + "tables named points_tally* are ")
                    .hasMessageContaining("a state no step of a swap leaves (ADR 0016)");
        } finally {
            db = shared;
        }
    }
}
