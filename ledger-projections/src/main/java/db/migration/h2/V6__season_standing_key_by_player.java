package db.migration.h2;

import io.matchledger.projections.schema.StepwiseMigration;
import java.util.List;

/**
 * A batch of the matches projection reads its players' season rows with "season_id = ? and player_id in (...)". H2
 * uses an IN list on an index's first column only: keyed (season_id, player_id), that read scanned every row of the
 * season, 100,000 at 100,000 players, for each batch. Keyed by player first, it is one lookup per player.
 * <p>
 * Shipped as SQL (drop the key, add the new one, for the table and its twin): a kill between two statements left a
 * table without a key, and the script failed at its first statement when run again. Each step here is made only while
 * needed; a store that applied the SQL has its history moved to this class ({@code H2MigrationHistory}).
 */
public class V6__season_standing_key_by_player extends StepwiseMigration {

    @Override
    public List<Step> steps() {
        return List.of(
                new Step(
                        primaryKeyIs("SEASON_STANDING", "SEASON_ID", "PLAYER_ID"),
                        "alter table season_standing drop primary key"),
                new Step(
                        noPrimaryKey("SEASON_STANDING"),
                        "alter table season_standing add primary key (player_id, season_id)"),
                new Step(
                        primaryKeyIs("SEASON_STANDING_REBUILD", "SEASON_ID", "PLAYER_ID"),
                        "alter table season_standing_rebuild drop primary key"),
                new Step(
                        noPrimaryKey("SEASON_STANDING_REBUILD"),
                        "alter table season_standing_rebuild add primary key (player_id, season_id)"));
    }
}
