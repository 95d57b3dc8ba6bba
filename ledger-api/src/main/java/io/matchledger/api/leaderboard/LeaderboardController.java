package io.matchledger.api.leaderboard;

import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.api.LeaderboardAroundQuery;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
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

    public LeaderboardController(QueryGateway queries) {
        this.queries = queries;
    }

    @ReadModel(StandingsProjection.PROCESSING_GROUP)
    @Answers(id = "getLeaderboard", audience = Audience.DASHBOARDS, roles = Role.READER)
    @GetMapping
    public LeaderboardPage page(
            @RequestParam(defaultValue = "0") @Min(0) int offset,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return queries.query(new LeaderboardQuery(offset, limit), LeaderboardPage.class)
                .join();
    }

    @ReadModel(StandingsProjection.PROCESSING_GROUP)
    @Answers(
            id = "getLeaderboardAround",
            audience = Audience.DASHBOARDS,
            roles = Role.READER,
            problems = ProblemType.NOT_FOUND)
    @GetMapping("/around/{playerId}")
    public LeaderboardPage around(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(defaultValue = "5") @Min(0) @Max(100) int radius) {
        return queries.query(
                        new LeaderboardAroundQuery(playerId, radius),
                        ResponseTypes.optionalInstanceOf(LeaderboardPage.class))
                .join()
                .orElseThrow(() -> new NotFound("player " + playerId));
    }
}
