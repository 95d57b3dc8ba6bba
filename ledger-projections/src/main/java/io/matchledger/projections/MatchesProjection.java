package io.matchledger.projections;

import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.SeasonEndedEarly;
import io.matchledger.core.api.SeasonSealed;
import io.matchledger.core.api.SeasonsDefined;
import io.matchledger.core.api.SettlementVoided;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Matches as recorded, by match id, and whether they were voided since; {@link MatchQueries} answers from them. The
 * seasons are kept here too ({@link SeasonTables}): a season is a set of matches, and this processor already reads
 * and writes each match once, so a season costs the write path one more batch of rows, not another processor.
 */
@Component
@ProcessingGroup(MatchesProjection.PROCESSING_GROUP)
public class MatchesProjection implements Rebuildable {

    public static final String PROCESSING_GROUP = "matches";
    /** Its live tables, parents first ({@link Rebuildable#tables()}). */
    public static final List<String> TABLES =
            List.of(MatchWrites.MATCHES, SeasonTables.SEASONS, SeasonTables.STANDINGS, SeasonTables.TALLIES);

    private final JdbcTemplate jdbc;
    private final TableSet tables;

    @Autowired
    MatchesProjection(DataSource dataSource) {
        this(new JdbcTemplate(dataSource), TableSet.LIVE);
    }

    private MatchesProjection(JdbcTemplate jdbc, TableSet tables) {
        this.jdbc = jdbc;
        this.tables = tables;
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    @Override
    public Object writingTo(TableSet tables) {
        return new MatchesProjection(jdbc, tables);
    }

    // Each event adds to the batch's writes (MatchWrites), made when the processor's batch commits.

    @EventHandler
    void on(MatchSettled event, @Timestamp Instant recordedAt) {
        // MatchSettled opens the match's own stream and happens once per match id, so a known id is a redelivery.
        MatchWrites.inBatch(jdbc, tables, batch -> batch.settle(event, recordedAt));
    }

    @EventHandler
    void on(SettlementVoided event, @Timestamp Instant voidedAt) {
        // Settled earlier on the same stream: in this batch (written first) or in the table.
        MatchWrites.inBatch(jdbc, tables, batch -> batch.voidMatch(event.matchId(), voidedAt));
    }

    // A change of the calendar places matches from the table: the batch's matches are written first.

    @EventHandler
    void on(SeasonsDefined event, @Timestamp Instant definedAt) {
        MatchWrites.inBatch(jdbc, tables, MatchWrites::write);
        seasons().define(event.seasons(), definedAt);
    }

    @EventHandler
    void on(SeasonEndedEarly event) {
        MatchWrites.inBatch(jdbc, tables, MatchWrites::write);
        seasons().endEarly(event);
    }

    @EventHandler
    void on(SeasonSealed event, @Timestamp Instant sealedAt) {
        seasons().seal(event.seal(), sealedAt);
    }

    private SeasonTables seasons() {
        return new SeasonTables(jdbc, tables);
    }

    /** A rebuild starts from an empty table; otherwise every replayed match would look like a redelivery. */
    @ResetHandler
    void reset() {
        seasons().clear();
        jdbc.update("delete from " + tables.of(MatchWrites.MATCHES));
    }
}
