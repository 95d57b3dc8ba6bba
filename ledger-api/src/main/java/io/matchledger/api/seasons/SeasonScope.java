package io.matchledger.api.seasons;

import io.matchledger.api.problems.NotFound;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.projections.api.FindSeasonQuery;
import io.matchledger.projections.api.SeasonView;
import java.util.Optional;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/** What a {@code season} parameter names: a season by id, {@code current}, or (absent) all time. */
@Component
public class SeasonScope {

    /** A season id or {@code current}. */
    public static final String SEASON = "^(" + LedgerRules.CURRENT_SEASON + "|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$";

    private final QueryGateway queries;

    public SeasonScope(QueryGateway queries) {
        this.queries = queries;
    }

    /** The season with its post-seal corrections, for its own page. */
    public Optional<SeasonView> season(String seasonId) {
        return find(seasonId, true);
    }

    /** The season a read is scoped to; 404 for an unknown one, or for {@code current} between seasons. */
    public SeasonView require(String seasonId) {
        return find(seasonId, false)
                .orElseThrow(() -> new NotFound(
                        LedgerRules.CURRENT_SEASON.equals(seasonId)
                                ? "season current: no season is running now"
                                : "season " + seasonId));
    }

    private Optional<SeasonView> find(String seasonId, boolean corrections) {
        return queries.query(
                        new FindSeasonQuery(seasonId, GenericEventMessage.clock.instant(), corrections),
                        ResponseTypes.optionalInstanceOf(SeasonView.class))
                .join();
    }
}
