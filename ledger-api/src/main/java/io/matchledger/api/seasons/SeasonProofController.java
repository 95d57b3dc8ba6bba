package io.matchledger.api.seasons;

import io.matchledger.api.audit.SeasonSeals;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.projections.api.SeasonView;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** What an auditor needs to recompute a season's seal from the audit export alone (docs/seasons.md). */
@RestController
public class SeasonProofController {

    private final SeasonScope scope;
    private final SeasonSeals seals;

    public SeasonProofController(SeasonScope scope, SeasonSeals seals) {
        this.scope = scope;
        this.seals = seals;
    }

    /**
     * {@code tokens}: the global indexes of the season's events, whose export lines, concatenated in this order, hash
     * to {@code seal.eventsSha256}; {@code export}: the export request that holds them all; {@code recomputed}: the
     * seal recomputed from the store now, equal to {@code seal} unless the store changed.
     */
    public record SeasonProof(
            String seasonId,
            Instant start,
            Instant end,
            Instant closesAt,
            String rule,
            String standingsLine,
            String export,
            List<Long> tokens,
            SeasonSeal seal,
            SeasonSeal recomputed,
            boolean matches) {}

    @Operation(
            summary = "What recomputing a season's seal takes",
            description = "The rule, the tokens of the season's events and the export request that holds them, the "
                    + "seal, and the seal recomputed from the store now (matches: whether they agree). 404 for an "
                    + "unknown or not yet sealed season.")
    @Answers(
            id = "getSeasonProof",
            audience = Audience.AUDITORS,
            roles = Role.AUDITOR,
            problems = ProblemType.NOT_FOUND)
    @GetMapping("/api/seasons/{seasonId}/proof")
    public SeasonProof proof(@PathVariable @Pattern(regexp = SeasonScope.SEASON) String seasonId) {
        SeasonView season = scope.require(seasonId);
        if (season.seal() == null) {
            throw new NotFound("a seal of season " + season.seasonId() + " (it is " + season.status() + ")");
        }
        SeasonSeals.Computed now =
                seals.compute(season.seasonId(), season.start(), season.end(), season.closesAt(), seals.head());
        SeasonSeal seal = season.seal();
        long count = seal.events() == 0 ? 0 : seal.lastToken() - seal.firstToken() + 1;
        return new SeasonProof(
                season.seasonId(),
                season.start(),
                season.end(),
                season.closesAt(),
                SeasonSeals.RULE,
                SeasonSeals.STANDINGS_LINE,
                "/api/audit/events?after=" + (seal.firstToken() - 1) + "&limit=" + Math.max(1, count),
                now.tokens(),
                seal,
                now.seal(),
                now.seal().equals(seal));
    }
}
