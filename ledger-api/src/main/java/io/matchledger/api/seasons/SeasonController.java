package io.matchledger.api.seasons;

import io.matchledger.api.config.TimelyCommands;
import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.DefineSeasonsCommand;
import io.matchledger.core.api.EndSeasonCommand;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.SeasonDefinitions;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.api.ListSeasonsQuery;
import io.matchledger.projections.api.SeasonList;
import io.matchledger.projections.api.SeasonView;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Seasons as data: operators define and end them, everyone reads them (ADR 0013). */
@RestController
@EnableConfigurationProperties(SeasonSettings.class)
public class SeasonController {

    private final TimelyCommands commands;
    private final QueryGateway queries;
    private final WritePositions positions;
    private final SeasonScope scope;
    private final Duration defaultGrace;

    public SeasonController(
            TimelyCommands commands,
            QueryGateway queries,
            WritePositions positions,
            SeasonScope scope,
            SeasonSettings settings) {
        this.commands = commands;
        this.queries = queries;
        this.positions = positions;
        this.scope = scope;
        this.defaultGrace = settings.grace();
    }

    /** The seasons a definition made or changed, and the write's {@code Ledger-Position}. */
    public record SeasonsResponse(
            List<SeasonWindow> seasons, List<String> created, List<String> changed, long position) {}

    @Operation(
            summary = "Define a season, or redefine one that has not started",
            description = "Matches played (occurredAt) in [start, end) count in it; those the ledger records until "
                    + "end + grace still do, later ones are post-seal corrections. 201 when new, 200 when unchanged "
                    + "or moved before its start; 409 for a season that has started (end it early instead); 422 "
                    + "when it overlaps another season.")
    @Answers(
            id = "defineSeason",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = {201, 200},
            location = true,
            problems = {ProblemType.CONFLICT, ProblemType.RULE_BROKEN},
            write = true)
    @PutMapping("/api/seasons/{seasonId}")
    public ResponseEntity<SeasonsResponse> define(
            @PathVariable @Pattern(regexp = LedgerRules.SEASON_ID) String seasonId,
            @Valid @RequestBody SeasonRequests.Season request) {
        return defined(List.of(request.window(seasonId, defaultGrace)), URI.create("/api/seasons/" + seasonId));
    }

    @Operation(
            summary = "Define a recurring schedule of seasons",
            description = "count seasons one after another from start, each `every` long (ISO-8601: P7D or P1W weekly, "
                    + "P1M monthly, in UTC), with ids <scheduleId>-1, -2, ... All or none: 201 when any is new, 200 "
                    + "when all are as defined; the same rules as one season apply to each.")
    @Answers(
            id = "defineSeasonSchedule",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = {201, 200},
            location = true,
            problems = {ProblemType.CONFLICT, ProblemType.RULE_BROKEN},
            write = true)
    @PutMapping("/api/season-schedules/{scheduleId}")
    public ResponseEntity<SeasonsResponse> schedule(
            @PathVariable @Pattern(regexp = LedgerRules.SEASON_ID) String scheduleId,
            @Valid @RequestBody SeasonRequests.Schedule request) {
        return defined(request.windows(scheduleId, defaultGrace), URI.create("/api/seasons"));
    }

    private ResponseEntity<SeasonsResponse> defined(List<SeasonWindow> windows, URI location) {
        SeasonDefinitions definitions = commands.sendAndWait(new DefineSeasonsCommand(windows));
        return ResponseEntity.status(definitions.created().isEmpty() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(location)
                .body(new SeasonsResponse(
                        windows, definitions.created(), definitions.changed(), positions.ofThisRequest()));
    }

    @Operation(
            summary = "End a running season now",
            description = "Its window ends at this moment and it closes after its grace; the reason stays on record. "
                    + "422 for a season that has not started or has ended.")
    @Answers(
            id = "endSeason",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            problems = {ProblemType.NOT_FOUND, ProblemType.RULE_BROKEN},
            write = true)
    @PostMapping("/api/seasons/{seasonId}/end")
    public SeasonWindow end(
            @PathVariable @Pattern(regexp = LedgerRules.SEASON_ID) String seasonId,
            @Valid @RequestBody SeasonRequests.End request) {
        return commands.sendAndWait(new EndSeasonCommand(seasonId, request.reason()));
    }

    @Operation(
            summary = "Every season, by start",
            description = "current names the running season, or is null between seasons.")
    @ReadModel(MatchesProjection.NAME)
    @Answers(id = "listSeasons", audience = Audience.DASHBOARDS, roles = Role.READER)
    @GetMapping("/api/seasons")
    public SeasonList seasons() {
        return queries.query(new ListSeasonsQuery(), SeasonList.class).join();
    }

    @Operation(
            summary = "One season, with its seal and its post-seal corrections",
            description = "seasonId or `current`. status: scheduled, running, grace, closed (sealing), sealed. seal "
                    + "is null until sealed; GET .../proof tells how to recompute it.")
    @ReadModel(MatchesProjection.NAME)
    @Answers(id = "getSeason", audience = Audience.DASHBOARDS, roles = Role.READER, problems = ProblemType.NOT_FOUND)
    @GetMapping("/api/seasons/{seasonId}")
    public SeasonView season(@PathVariable @Pattern(regexp = SeasonScope.SEASON) String seasonId) {
        return scope.season(seasonId).orElseThrow(() -> new NotFound("season " + seasonId));
    }
}
