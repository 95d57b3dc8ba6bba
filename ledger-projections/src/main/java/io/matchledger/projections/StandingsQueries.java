package io.matchledger.projections;

import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardAroundQuery;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.PlayerView;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Players' standings and the leaderboard, as {@link StandingsProjection} keeps them. */
@Component
public class StandingsQueries {

    private final PlayerStandingRepository standings;
    private final PointsTallyRepository tallies;
    private final JdbcTemplate jdbc;

    public StandingsQueries(PlayerStandingRepository standings, PointsTallyRepository tallies, DataSource dataSource) {
        this.standings = standings;
        this.tallies = tallies;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @QueryHandler
    public Optional<PlayerView> handle(FindPlayerQuery query) {
        return standings.findById(query.playerId()).map(standing -> standing.view(rankOf(standing)));
    }

    @QueryHandler
    public LeaderboardPage handle(LeaderboardQuery query) {
        int offset = Math.max(0, query.offset());
        int limit = Math.max(0, query.limit());
        List<PlayerStanding> rows = limit == 0 ? List.of() : standings.inLeaderboardOrder(offset, limit);
        return page(offset, limit, rows);
    }

    @QueryHandler
    public Optional<LeaderboardPage> handle(LeaderboardAroundQuery query) {
        Ranking ranking = Ranking.allTime(jdbc);
        return ranking.find(query.playerId()).map(standing -> ranking.around(standing, Math.max(0, query.radius())));
    }

    private long rankOf(PlayerStanding standing) {
        return 1
                + tallies.playersAbove(standing.getPoints())
                + standings.countReachedEarlier(standing.getPoints(), standing.getReachedAt())
                + standings.countReachedAlongsideWithSmallerId(
                        standing.getPoints(), standing.getReachedAt(), standing.getPlayerId());
    }

    private LeaderboardPage page(int offset, int limit, List<PlayerStanding> rows) {
        List<LeaderboardEntry> items = IntStream.range(0, rows.size())
                .mapToObj(i -> rows.get(i).entry(offset + i + 1L))
                .toList();
        // Every player is counted in the tally at their total: a sum over a row per total, where counting the
        // standings read every row for every page (most of a page's time on PostgreSQL: docs/performance.md).
        return new LeaderboardPage(offset, limit, tallies.players(), items);
    }
}
