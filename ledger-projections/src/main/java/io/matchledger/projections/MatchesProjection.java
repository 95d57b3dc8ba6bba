package io.matchledger.projections;

import io.matchledger.core.Match;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.SeasonEndedEarly;
import io.matchledger.core.api.SeasonSealed;
import io.matchledger.core.api.SeasonsDefined;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.projections.api.ReadModelRepair;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Matches as recorded, by match id, and whether they were voided since; {@link MatchQueries} answers from them. The
 * seasons are kept here too ({@link SeasonTables}): a season is a set of matches, and this processor already reads
 * and writes each match once, so a season costs the write path one more batch of rows, not another processor.
 */
@Component
@ProcessingGroup(ReadModels.PROCESSING_GROUP)
public class MatchesProjection implements Rebuildable {

    /** The read model's name, as the admin API and read-your-writes know it. */
    public static final String NAME = "matches";
    /** Its live tables, parents first ({@link Rebuildable#tables()}). */
    public static final List<String> TABLES =
            List.of(MatchWrites.MATCHES, SeasonTables.SEASONS, SeasonTables.STANDINGS, SeasonTables.TALLIES);

    private final JdbcTemplate jdbc;
    private final TableSet tables;
    private final ObjectProvider<EventStore> store;

    @Autowired
    MatchesProjection(DataSource dataSource, ObjectProvider<EventStore> store) {
        this(new JdbcTemplate(dataSource), TableSet.LIVE, store);
    }

    private MatchesProjection(JdbcTemplate jdbc, TableSet tables, ObjectProvider<EventStore> store) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    @Override
    public Object writingTo(TableSet tables) {
        return new MatchesProjection(jdbc, tables, store);
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

    /**
     * The match's own stream handed again to the handlers above (ADR 0022): each keeps what it has (a known match, a
     * void marked) and adds what is missing, with the match's place in its season.
     */
    @EventHandler
    void on(ReadModelRepair repair) {
        if (repair.matchId() != null) {
            StreamReplay.replay(store, Match.streamId(repair.matchId()), this);
        }
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
