package io.matchledger.projections;

import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardAroundQuery;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.PlayerView;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Players' standings and the leaderboard, as {@link StandingsProjection} keeps them: the all-time {@link Ranking},
 * the same queries as a season's. The page's total is the tally's sum (a row per total), where counting the
 * standings read every row for every page (docs/performance.md).
 */
@Component
public class StandingsQueries {

    private final Ranking ranking;

    public StandingsQueries(DataSource dataSource) {
        this.ranking = Ranking.allTime(new JdbcTemplate(dataSource));
    }

    @QueryHandler
    public Optional<PlayerView> handle(FindPlayerQuery query) {
        return ranking.find(query.playerId()).map(standing -> standing.view(ranking.rank(standing)));
    }

    @QueryHandler
    public LeaderboardPage handle(LeaderboardQuery query) {
        int offset = Math.max(0, query.offset());
        int limit = Math.max(0, query.limit());
        List<StandingRow> rows = limit == 0 ? List.of() : ranking.page(offset, limit);
        return ranking.pageOf(offset, limit, rows);
    }

    @QueryHandler
    public Optional<LeaderboardPage> handle(LeaderboardAroundQuery query) {
        return ranking.find(query.playerId()).map(standing -> ranking.around(standing, Math.max(0, query.radius())));
    }
}
