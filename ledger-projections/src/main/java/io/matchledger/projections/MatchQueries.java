package io.matchledger.projections;

import io.matchledger.projections.api.FindMatchQuery;
import io.matchledger.projections.api.MatchView;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** A match as {@link MatchesProjection} keeps it. */
@Component
public class MatchQueries {

    private final MatchRecordRepository matches;

    public MatchQueries(MatchRecordRepository matches) {
        this.matches = matches;
    }

    @QueryHandler
    public Optional<MatchView> handle(FindMatchQuery query) {
        return matches.findById(query.matchId()).map(MatchRecord::view);
    }
}
