package io.matchledger.projections;

import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.projections.api.FindMatchQuery;
import io.matchledger.projections.api.MatchView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;

/** Matches as recorded, by match id, and whether they were voided since. */
@Component
@ProcessingGroup(MatchesProjection.PROCESSING_GROUP)
public class MatchesProjection {

    public static final String PROCESSING_GROUP = "matches";

    private final MatchRecordRepository matches;

    public MatchesProjection(MatchRecordRepository matches) {
        this.matches = matches;
    }

    @EventHandler
    void on(MatchSettled event, @Timestamp Instant recordedAt) {
        // MatchSettled opens the match's own stream and happens once per match id, so a known id is a redelivery.
        // Keeping the row as it is, rather than overwriting it, also keeps whatever happened to the match since.
        // findById, not existsById: a query would flush the batch's pending inserts once per event.
        if (matches.findById(event.matchId()).isEmpty()) {
            matches.save(new MatchRecord(event, recordedAt));
        }
    }

    @EventHandler
    void on(SettlementVoided event) {
        // Settled earlier on the same stream, so the row is there; setting the flag again on a redelivery is harmless.
        matches.findById(event.matchId())
               .orElseThrow(() -> new IllegalStateException("no match " + event.matchId() + " to void"))
               .markVoided();
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
