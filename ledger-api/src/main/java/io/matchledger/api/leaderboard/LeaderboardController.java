package io.matchledger.api.leaderboard;

import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.seasons.SeasonScope;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.projections.HistoryProjection;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.api.ExplainQuery;
import io.matchledger.projections.api.Explanation;
import io.matchledger.projections.api.LeaderboardAroundQuery;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.SeasonAroundQuery;
import io.matchledger.projections.api.SeasonLeaderboardQuery;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/leaderboard")
public class LeaderboardController {

    private final QueryGateway queries;
    private final SeasonScope seasons;

    public LeaderboardController(QueryGateway queries, SeasonScope seasons) {
        this.queries = queries;
        this.seasons = seasons;
    }

    @Operation(
            summary = "The leaderboard, a page at a time",
            description = "Points descending, then who reached the total first, then player id. With `season` (an id, "
                    + "or `current`) the season's standings in the same order; 404 for an unknown season.")
    @ReadModel({StandingsProjection.NAME, MatchesProjection.NAME})
    @Answers(
            id = "getLeaderboard",
            audience = Audience.DASHBOARDS,
            roles = Role.READER,
            problems = ProblemType.NOT_FOUND)
    @GetMapping
    public LeaderboardPage page(
            @RequestParam(defaultValue = "0") @Min(0) int offset,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @Pattern(regexp = SeasonScope.SEASON) String season) {
        Object query = season == null
                ? new LeaderboardQuery(offset, limit)
                : new SeasonLeaderboardQuery(seasons.require(season).seasonId(), offset, limit);
        return queries.query(query, LeaderboardPage.class).join();
    }

    @ReadModel({StandingsProjection.NAME, MatchesProjection.NAME})
    @Answers(
            id = "getLeaderboardAround",
            audience = Audience.DASHBOARDS,
            roles = Role.READER,
            problems = ProblemType.NOT_FOUND)
    @GetMapping("/around/{playerId}")
    public LeaderboardPage around(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(defaultValue = "5") @Min(0) @Max(100) int radius,
            @RequestParam(required = false) @Pattern(regexp = SeasonScope.SEASON) String season) {
        Object query = season == null
                ? new LeaderboardAroundQuery(playerId, radius)
                : new SeasonAroundQuery(seasons.require(season).seasonId(), playerId, radius);
        return queries.query(query, ResponseTypes.optionalInstanceOf(LeaderboardPage.class))
                .join()
                .orElseThrow(() -> new NotFound("player " + playerId + (season == null ? "" : " in season " + season)));
    }

    @Operation(
            summary = "Why a player stands where they do",
            description = "Their total with the entries that make it, their rank, and the neighbours just above and "
                    + "below with what decided each ordering: points, reachedFirst (same points, reached earlier) or "
                    + "playerId. With `season`, within that season.")
    @ReadModel({StandingsProjection.NAME, MatchesProjection.NAME, HistoryProjection.NAME})
    @Answers(id = "explainRank", audience = Audience.DASHBOARDS, roles = Role.READER, problems = ProblemType.NOT_FOUND)
    @GetMapping("/explain/{playerId}")
    public Explanation explain(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(required = false) @Pattern(regexp = SeasonScope.SEASON) String season) {
        String seasonId = season == null ? null : seasons.require(season).seasonId();
        return queries.query(new ExplainQuery(playerId, seasonId), ResponseTypes.optionalInstanceOf(Explanation.class))
                .join()
                .orElseThrow(() -> new NotFound("player " + playerId + (season == null ? "" : " in season " + season)));
    }
}
