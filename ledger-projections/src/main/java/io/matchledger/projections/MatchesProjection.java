package io.matchledger.projections;

import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.projections.api.FindMatchQuery;
import io.matchledger.projections.api.MatchView;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Matches as recorded, by match id, and whether they were voided since. */
@Component
@ProcessingGroup(MatchesProjection.PROCESSING_GROUP)
public class MatchesProjection {

    public static final String PROCESSING_GROUP = "matches";

    private final MatchRecordRepository matches;
    private final JdbcTemplate jdbc;

    public MatchesProjection(MatchRecordRepository matches, DataSource dataSource) {
        this.matches = matches;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    // Each event adds to the batch's writes (MatchWrites), made when the processor's batch commits.

    @EventHandler
    void on(MatchSettled event, @Timestamp Instant recordedAt) {
        // MatchSettled opens the match's own stream and happens once per match id, so a known id is a redelivery.
        MatchWrites.inBatch(jdbc, batch -> batch.settle(event, recordedAt));
    }

    @EventHandler
    void on(SettlementVoided event) {
        // Settled earlier on the same stream: in this batch (written first) or in the table.
        MatchWrites.inBatch(jdbc, batch -> batch.voidMatch(event.matchId()));
    }

    /** A rebuild starts from an empty table; otherwise every replayed match would look like a redelivery. */
    @ResetHandler
    void reset() {
        matches.deleteAllInBatch();
    }

    @QueryHandler
    public Optional<MatchView> handle(FindMatchQuery query) {
        return matches.findById(query.matchId()).map(MatchRecord::view);
    }
}
