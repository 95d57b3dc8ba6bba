package io.matchledger.api.players;

import io.matchledger.api.config.TimelyCommands;
import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.seasons.SeasonScope;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.api.web.LedgerText;
import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.Registration;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.PlayerView;
import io.matchledger.projections.api.SeasonPlayerQuery;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/players")
public class PlayerController {

    private final TimelyCommands commands;
    private final QueryGateway queries;
    private final WritePositions positions;
    private final SeasonScope seasons;

    public PlayerController(
            TimelyCommands commands, QueryGateway queries, WritePositions positions, SeasonScope seasons) {
        this.commands = commands;
        this.queries = queries;
        this.positions = positions;
        this.seasons = seasons;
    }

    public record RegisterPlayerRequest(
            @LedgerText(LedgerText.Kind.NAME) String name) {}

    /** {@code position}: the write's {@code Ledger-Position}; reads with {@code minPosition} set to it know the player. */
    public record RegistrationResponse(String playerId, String name, Registration registration, long position) {}

    @Answers(
            id = "registerPlayer",
            audience = Audience.GAME_SERVERS,
            roles = Role.RECORDER,
            success = {201, 200},
            location = true,
            problems = ProblemType.PLAYER_ERASED,
            write = true)
    @PutMapping("/{playerId}")
    public ResponseEntity<RegistrationResponse> register(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @Valid @RequestBody RegisterPlayerRequest request) {
        Registration registration = commands.sendAndWait(new RegisterPlayerCommand(playerId, request.name()));
        return ResponseEntity.status(registration == Registration.CREATED ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/players/" + playerId))
                .body(new RegistrationResponse(
                        playerId, request.name().strip(), registration, positions.ofThisRequest()));
    }

    @ReadModel({StandingsProjection.NAME, MatchesProjection.NAME})
    @Answers(id = "getPlayer", audience = Audience.DASHBOARDS, roles = Role.READER, problems = ProblemType.NOT_FOUND)
    @GetMapping("/{playerId}")
    public PlayerView player(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(required = false) @Pattern(regexp = SeasonScope.SEASON) String season) {
        if (season != null) {
            // A registered player without a match in the season stands at 0 in it, after everyone who played.
            return queries.query(
                            new SeasonPlayerQuery(seasons.require(season).seasonId(), playerId),
                            ResponseTypes.optionalInstanceOf(PlayerView.class))
                    .join()
                    .orElseThrow(() -> new NotFound("player " + playerId));
        }
        return queries.query(new FindPlayerQuery(playerId), ResponseTypes.optionalInstanceOf(PlayerView.class))
                .join()
                .orElseThrow(() -> new NotFound("player " + playerId));
    }

    public record AdjustPointsRequest(
            @NotNull @Pattern(regexp = LedgerRules.ADJUSTMENT_ID)
            String adjustmentId,

            @NotNull @Min(-1_000_000) @Max(1_000_000) Integer points,

            @LedgerText(value = LedgerText.Kind.REASON, max = LedgerRules.REASON_MAX)
            String reason) {}

    public record AdjustmentResponse(
            String adjustmentId,
            String playerId,
            int points,
            String reason,
            long total,
            Instant recordedAt,
            long position) {}

    @Answers(
            id = "adjustPoints",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = {201, 200},
            problems = {ProblemType.NOT_FOUND, ProblemType.CONFLICT, ProblemType.RULE_BROKEN},
            write = true)
    @PostMapping("/{playerId}/adjustments")
    public ResponseEntity<AdjustmentResponse> adjust(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @Valid @RequestBody AdjustPointsRequest request) {
        AdjustmentReceipt receipt = commands.sendAndWait(
                new AdjustPointsCommand(playerId, request.adjustmentId(), request.points(), request.reason()));
        return ResponseEntity.status(receipt.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(new AdjustmentResponse(
                        receipt.adjustmentId(),
                        receipt.playerId(),
                        receipt.points(),
                        receipt.reason(),
                        receipt.totalAfter(),
                        receipt.recordedAt(),
                        positions.ofThisRequest()));
    }
}
