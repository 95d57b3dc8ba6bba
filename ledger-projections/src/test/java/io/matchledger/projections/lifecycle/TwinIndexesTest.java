package io.matchledger.projections.lifecycle;

import static io.matchledger.projections.ReadModelSchemaTest.indexesAndChecks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.projections.HandBuiltProjections;
import io.matchledger.projections.HistoryProjection;
import io.matchledger.projections.MigratedH2;
import io.matchledger.projections.Rebuildable;
import io.matchledger.projections.TableSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A rebuild fills its twins without the indexes it never reads and builds them before the swap ({@link TwinIndexes}):
 * afterwards the twin has exactly the live table's indexes, whatever names the swaps have left on either table.
 */
// On a migrated H2 of its own per test, without Spring (MigratedH2), the projections built as the service builds them.
class TwinIndexesTest {

    final MigratedH2 db = MigratedH2.fresh();
    final JdbcTemplate jdbc = db.jdbc;
    final List<Rebuildable> projections = HandBuiltProjections.on(db);

    @AfterEach
    void asTheMigrationsMadeIt() {
        for (Rebuildable projection : projections) {
            TwinIndexes.of(jdbc, projection).forEach(TwinIndexes::build);
        }
        for (String table : List.of("ledger_entry", "player_standing")) {
            assertThat(indexesAndChecks(jdbc, TableSet.REBUILD.of(table))).isEqualTo(indexesAndChecks(jdbc, table));
        }
    }

    @Test
    void eachIndexBuiltLastIsAnIndexOfItsLiveTable() {
        // A name that matched no index would leave it on the twin, slowing the rebuild without a word.
        for (Rebuildable projection : projections) {
            projection.indexesBuiltLast().forEach((table, indexes) -> {
                assertThat(projection.tables()).as(projection.name()).contains(table);
                assertThat(indexNames(table)).as(table).containsAll(indexes);
                assertThat(indexes)
                        .as("names on the twin")
                        .allSatisfy(index -> assertThat(indexNames(TableSet.REBUILD.of(table)))
                                .contains(TwinIndexes.twinName(table, index)));
            });
        }
        assertThat(history().indexesBuiltLast()).containsKey("ledger_entry");
    }

    @Test
    void theTwinIsFilledWithoutThemAndGetsTheLiveTablesIndexesBack() {
        Set<String> live = indexesAndChecks(jdbc, "ledger_entry");
        List<TwinIndexes> builtLast = TwinIndexes.of(jdbc, history());

        builtLast.forEach(TwinIndexes::drop);
        assertThat(indexNames("ledger_entry_rebuild"))
                .doesNotContain("ledger_entry_rebuild_matches", "ledger_entry_rebuild_as_of")
                .as("a void of a rebuild finds its match by this one")
                .contains("ledger_entry_rebuild_match_id");
        assertThat(indexesAndChecks(jdbc, "ledger_entry_rebuild")).hasSize(live.size() - 2);

        builtLast.forEach(TwinIndexes::build);
        assertThat(indexesAndChecks(jdbc, "ledger_entry_rebuild")).isEqualTo(live);
        assertThat(indexNames("ledger_entry_rebuild")).contains("ledger_entry_rebuild_matches");

        builtLast.forEach(TwinIndexes::build); // built already: nothing to do
        assertThat(indexesAndChecks(jdbc, "ledger_entry_rebuild")).isEqualTo(live);
    }

    @Test
    void theIndexesOfEveryTableNamedAreDroppedAndBuiltBack() {
        Map<String, Set<String>> live = Map.of(
                "ledger_entry", indexesAndChecks(jdbc, "ledger_entry"),
                "player_standing", indexesAndChecks(jdbc, "player_standing"));
        List<TwinIndexes> builtLast = TwinIndexes.of(
                jdbc,
                Map.of(
                        "ledger_entry", List.of("ledger_entry_as_of"),
                        "player_standing", List.of("player_standing_leaderboard")));
        assertThat(builtLast).hasSize(2);

        builtLast.forEach(TwinIndexes::drop);
        assertThat(indexNames("ledger_entry_rebuild"))
                .doesNotContain("ledger_entry_rebuild_as_of")
                .contains("ledger_entry_rebuild_matches");
        assertThat(indexNames("player_standing_rebuild")).doesNotContain("player_standing_rebuild_leaderboard");

        builtLast.forEach(TwinIndexes::build);
        live.forEach((table, indexes) -> assertThat(indexesAndChecks(jdbc, TableSet.REBUILD.of(table)))
                .as(table)
                .isEqualTo(indexes));
        // Built with the live columns' order: descending where the live index descends.
        assertThat(indexesAndChecks(jdbc, "player_standing_rebuild"))
                .contains("points DESC, reached_at ASC, player_id ASC");
    }

    @Test
    void afterASwapTheTwinTakesTheNameTheLiveTableDoesNotUse() {
        // A swap renames tables, not indexes: the live table now has the index named for the twin, and the other way.
        tradeNames();
        try {
            assertThat(indexNames("ledger_entry_rebuild")).contains("ledger_entry_matches");
            List<TwinIndexes> builtLast = TwinIndexes.of(jdbc, history());

            builtLast.forEach(TwinIndexes::drop);
            assertThat(indexNames("ledger_entry_rebuild")).doesNotContain("ledger_entry_matches");
            builtLast.forEach(TwinIndexes::build);

            assertThat(indexNames("ledger_entry_rebuild")).contains("ledger_entry_matches");
            assertThat(indexNames("ledger_entry")).contains("ledger_entry_rebuild_matches");
            assertThat(indexesAndChecks(jdbc, "ledger_entry_rebuild"))
                    .isEqualTo(indexesAndChecks(jdbc, "ledger_entry"));
        } finally {
            tradeNames();
        }
    }

    /** The live and the twin's index on (player, match number) trade names, as two swaps would leave them. */
    private void tradeNames() {
        jdbc.execute("alter index ledger_entry_rebuild_matches rename to ledger_entry_matches__");
        jdbc.execute("alter index ledger_entry_matches rename to ledger_entry_rebuild_matches");
        jdbc.execute("alter index ledger_entry_matches__ rename to ledger_entry_matches");
    }

    @Test
    void anIndexMissingFromTheLiveTableTooIsReportedNotGuessed() {
        List<TwinIndexes> builtLast = TwinIndexes.of(jdbc, history());
        builtLast.forEach(TwinIndexes::drop);
        jdbc.execute("alter index ledger_entry_as_of rename to ledger_entry_elsewhere");
        try {
            assertThatThrownBy(() -> builtLast.forEach(TwinIndexes::build)).hasMessageContaining("ledger_entry_as_of");
        } finally {
            jdbc.execute("alter index ledger_entry_elsewhere rename to ledger_entry_as_of");
        }
    }

    @Test
    void aNameNotAfterItsTableIsRefused() {
        assertThatThrownBy(() -> TwinIndexes.twinName("ledger_entry", "player_standing_leaderboard"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TwinIndexes.twinName("player_standing", "player_standing_leaderboard"))
                .isEqualTo("player_standing_rebuild_leaderboard");
    }

    private Rebuildable history() {
        return projections.stream()
                .filter(p -> p.name().equals(HistoryProjection.NAME))
                .findFirst()
                .orElseThrow();
    }

    private List<String> indexNames(String table) {
        return jdbc.queryForList(
                "select lower(index_name) from information_schema.indexes where lower(table_name) = ?",
                String.class,
                table);
    }
}
