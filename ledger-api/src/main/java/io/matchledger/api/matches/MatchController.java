package io.matchledger.api.matches;

import io.matchledger.api.config.TimelyCommands;
import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.api.web.LedgerText;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.VoidMatchCommand;
import io.matchledger.core.api.VoidReceipt;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.api.FindMatchQuery;
import io.matchledger.projections.api.MatchView;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/matches")
public class MatchController {

    private final TimelyCommands commands;
    private final MatchRecorder recorder;
    private final QueryGateway queries;
    private final WritePositions positions;

    public MatchController(
            TimelyCommands commands, MatchRecorder recorder, QueryGateway queries, WritePositions positions) {
        this.positions = positions;
        this.commands = commands;
        this.recorder = recorder;
        this.queries = queries;
    }

    public record PlayerShare(String playerId, MatchResult result, int points, long total) {}

    /**
     * {@code total} is each player's total right after this match, from the player's own stream; {@code position} is
     * the write's {@code Ledger-Position}: reads with {@code minPosition} set to it show this match.
     */
    public record MatchResponse(
            String matchId,
            Outcome outcome,
            List<PlayerShare> players,
            Instant occurredAt,
            Instant recordedAt,
            long position) {

        public static MatchResponse of(MatchSettlement settlement, long position) {
            return new MatchResponse(
                    settlement.matchId(),
                    settlement.outcome(),
                    settlement.players().stream()
                            .map(s -> new PlayerShare(s.playerId(), s.result(), s.points(), s.totalAfter()))
                            .toList(),
                    settlement.occurredAt(),
                    settlement.recordedAt(),
                    position);
        }
    }

    @Answers(
            id = "recordMatch",
            audience = Audience.GAME_SERVERS,
            roles = Role.RECORDER,
            success = {201, 200},
            location = true,
            problems = {ProblemType.NOT_FOUND, ProblemType.CONFLICT, ProblemType.PLAYER_ERASED, ProblemType.RULE_BROKEN
            },
            write = true)
    @PostMapping
    public ResponseEntity<MatchResponse> record(@Valid @RequestBody RecordMatchRequest request) {
        return answer(recorder.record(request.toCommand()), positions.ofThisRequest());
    }

    /** 201 with its {@code Location} for a new match, 200 for an identical retry: as every way of recording answers. */
    public static ResponseEntity<MatchResponse> answer(MatchSettlement settlement, long position) {
        MatchResponse response = MatchResponse.of(settlement, position);
        if (settlement.replayed()) {
            return ResponseEntity.ok(response);
        }
        return ResponseEntity.created(URI.create("/api/matches/" + settlement.matchId()))
                .body(response);
    }

    public record VoidMatchRequest(
            @LedgerText(value = LedgerText.Kind.REASON, max = LedgerRules.REASON_MAX)
            String reason) {}

    /** Each player's reversal: {@code points} is negative (or 0 for a loss), {@code total} the total right after. */
    public record VoidResponse(
            String matchId, String reason, List<PlayerShare> players, Instant voidedAt, long position) {

        static VoidResponse of(VoidReceipt receipt, long position) {
            return new VoidResponse(
                    receipt.matchId(),
                    receipt.reason(),
                    receipt.reversals().stream()
                            .map(s -> new PlayerShare(s.playerId(), s.result(), s.points(), s.totalAfter()))
                            .toList(),
                    receipt.voidedAt(),
                    position);
        }
    }

    @Operation(
            summary = "Void a match (admin)",
            description = "Reverses the match's points on both players' ledgers with a reason (1-500 characters); the "
                    + "match stays recorded and in every history, marked voided, and no longer counts as a win, draw, "
                    + "loss or match in the standings. 201 when voided, with each player's reversal and total right "
                    + "after. Idempotent by match id: once voided, every later void of the match, with any reason, "
                    + "answers 200 with the first void's answer and changes nothing; a void is never undone. 404 for "
                    + "an unknown match. 422 when the reversal would take a player's total below zero: nothing "
                    + "changes, and an admin adjusts the player first (docs/decisions/0002).")
    @Answers(
            id = "voidMatch",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = {201, 200},
            problems = {ProblemType.NOT_FOUND, ProblemType.RULE_BROKEN},
            write = true)
    @PostMapping("/{matchId}/void")
    public ResponseEntity<VoidResponse> voidMatch(
            @PathVariable @Pattern(regexp = LedgerRules.MATCH_ID) String matchId,
            @Valid @RequestBody VoidMatchRequest request) {
        VoidReceipt receipt = commands.sendAndWait(new VoidMatchCommand(matchId, request.reason()));
        return ResponseEntity.status(receipt.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .body(VoidResponse.of(receipt, positions.ofThisRequest()));
    }

    @ReadModel(MatchesProjection.NAME)
    @Answers(id = "getMatch", audience = Audience.DASHBOARDS, roles = Role.READER, problems = ProblemType.NOT_FOUND)
    @GetMapping("/{matchId}")
    public MatchView match(@PathVariable @Pattern(regexp = LedgerRules.MATCH_ID) String matchId) {
        return queries.query(new FindMatchQuery(matchId), ResponseTypes.optionalInstanceOf(MatchView.class))
                .join()
                .orElseThrow(() -> new NotFound("match " + matchId));
    }
}
