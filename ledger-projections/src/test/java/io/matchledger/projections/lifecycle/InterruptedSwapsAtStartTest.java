package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.projections.MigratedH2;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.TableSet;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The recovery of a cut-off swap as the service's start runs it, without Spring: Flyway, given {@link InterruptedSwaps}
 * as its callback, finishes a decided swap before it migrates; and the swap of an earlier version, and a state no step
 * leaves, as the recovery finds them. (InterruptedSwapTest cuts a swap off after every step on a file database.)
 */
class InterruptedSwapsAtStartTest {

    static final String TABLE = "player_standing";
    static final String TWIN = TableSet.REBUILD.of(TABLE);

    final MigratedH2 db = MigratedH2.fresh();

    private void standing(String table, String playerId) {
        db.jdbc.update(
                "insert into " + table + " (player_id, name, points, wins, draws, losses, matches, last_sequence,"
                        + " reached_at) values (?, ?, 3, 1, 0, 0, 1, 1, 0)",
                playerId,
                playerId);
    }

    private List<String> players(String table) {
        return db.jdbc.queryForList("select player_id from " + table + " order by player_id", String.class);
    }

    @Test
    void flywayFinishesADecidedSwapBeforeItMigrates() {
        standing(TABLE, "live");
        standing(TWIN, "rebuilt");
        TableSwap swap = new TableSwap(db.jdbc, StandingsProjection.NAME, StandingsProjection.TABLES);
        for (TableSwap.Step step : swap.steps(() -> {})) {
            step.action().run();
            if (step.name().equals("decide")) {
                break; // killed here
            }
        }
        assertThat(players(TABLE + TableSwap.NEXT)).containsExactly("rebuilt");

        Flyway.configure()
                .dataSource(db.dataSource)
                .locations("classpath:db/migration/h2")
                .callbacks(new InterruptedSwaps())
                .load()
                .migrate();

        assertThat(players(TABLE)).containsExactly("rebuilt");
        assertThat(players(TWIN)).isEmpty();
        assertThat(db.jdbc.queryForObject("select count(*) from " + TableSwap.SWAPS, Long.class))
                .isZero();
        assertThat(new InterruptedSwaps().getCallbackName()).isEqualTo("interrupted read-model swaps");
    }

    @Test
    void aTableTheEarlierSwapLeftParkedIsPutBackWithTheRebuiltRows() {
        standing(TABLE, "live");
        standing(TWIN, "rebuilt");
        db.jdbc.execute(TableSwap.renameSql(TABLE, TABLE + InterruptedSwaps.LEGACY_PARKED));

        assertThat(InterruptedSwaps.recover(db.jdbc)).containsExactly(new InterruptedSwaps.Recovered(TABLE, true));

        assertThat(players(TABLE)).containsExactly("rebuilt");
        assertThat(players(TWIN)).isEmpty();
        assertThat(InterruptedSwaps.recover(db.jdbc)).isEmpty();
    }

    @Test
    void aStateNoStepLeavesIsRefusedWithTheTablesItFound() {
        db.jdbc.update(
                "insert into " + TableSwap.SWAPS + " (processing_group, tables, decided) values (?, ?, true)",
                StandingsProjection.NAME,
                String.join(",", StandingsProjection.TABLES));
        db.jdbc.execute(TableSwap.renameSql(TABLE, TABLE + TableSwap.OLD));
        db.jdbc.execute(TableSwap.renameSql(TWIN, TABLE + "_stray"));

        assertThatThrownBy(() -> InterruptedSwaps.recover(db.jdbc))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "cannot recover the swap of projection standings (decided: true): the tables named "
                                + "player_standing* are [player_standing_rebuild, player_standing_stray], a state no step of a swap leaves (ADR 0016)");
    }

    @Test
    void aStoreFromBeforeTheSwapsTableStillHasTheEarlierSwapPutBack() {
        // No migration has run: no read_model_swap, only what the swap of an earlier version left.
        JdbcTemplate bare = new JdbcTemplate(new SingleConnectionDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", true));
        bare.execute("create table player_standing (player_id varchar(64))");
        bare.execute("create table player_standing_swapping (player_id varchar(64))");
        bare.update("insert into player_standing values ('rebuilt')");
        bare.update("insert into player_standing_swapping values ('live')");

        assertThat(InterruptedSwaps.recover(bare)).containsExactly(new InterruptedSwaps.Recovered(TABLE, true));

        assertThat(bare.queryForList("select player_id from player_standing", String.class))
                .containsExactly("rebuilt");
        assertThat(bare.queryForObject("select count(*) from player_standing_rebuild", Long.class))
                .isZero();
    }
}
