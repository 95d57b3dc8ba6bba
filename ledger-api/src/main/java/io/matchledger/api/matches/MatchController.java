package io.matchledger.api.matches;

import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.FieldProblem;
import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.api.web.LedgerText;
import io.matchledger.api.web.ProblemResponses;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.VoidMatchCommand;
import io.matchledger.core.api.VoidReceipt;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.api.FindMatchQuery;
import io.matchledger.projections.api.MatchView;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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

    private final CommandGateway commands;
    private final MatchRecorder recorder;
    private final QueryGateway queries;
    private final Validator validator;
    private final ProblemResponses problems;
    private final WritePositions positions;

    public MatchController(
            CommandGateway commands,
            MatchRecorder recorder,
            QueryGateway queries,
            Validator validator,
            ProblemResponses problems,
            WritePositions positions) {
        this.positions = positions;
        this.commands = commands;
        this.recorder = recorder;
        this.queries = queries;
        this.validator = validator;
        this.problems = problems;
    }

    /**
     * One of two shapes: decisive ({@code winner} and {@code loser}; {@code draw} absent or empty) or a draw
     * ({@code draw}: the two players).
     * {@code occurredAt} is when the match was played; it defaults to when it is recorded.
     */
    public record RecordMatchRequest(
            @NotNull @Pattern(regexp = LedgerRules.MATCH_ID) String matchId,
            @Pattern(regexp = LedgerRules.PLAYER_ID) String winner,
            @Pattern(regexp = LedgerRules.PLAYER_ID) String loser,
            List<@NotNull @Pattern(regexp = LedgerRules.PLAYER_ID) String> draw,
            Instant occurredAt) {

        RecordMatchCommand toCommand() {
            boolean decisive = winner != null || loser != null;
            // An empty draw is no draw: clients generated from the document send [] for a list they did not set.
            if (decisive && draw != null && !draw.isEmpty()) {
                throw new InvalidRequest("draw", "give either winner and loser, or draw, not both");
            }
            if (decisive) {
                if (winner == null || loser == null) {
                    throw new InvalidRequest(
                            winner == null ? "winner" : "loser", "a decisive match needs both winner and loser");
                }
                if (winner.equals(loser)) {
                    throw new InvalidRequest("loser", "must be another player than the winner");
                }
                return new RecordMatchCommand(matchId, winner, loser, Outcome.WIN, occurredAt);
            }
            if (draw == null) {
                throw new InvalidRequest("winner", "give either winner and loser, or draw");
            }
            if (draw.size() != 2) {
                throw new InvalidRequest("draw", "must name exactly two players");
            }
            if (draw.get(0).equals(draw.get(1))) {
                throw new InvalidRequest("draw", "must name two different players");
            }
            return new RecordMatchCommand(matchId, draw.get(0), draw.get(1), Outcome.DRAW, occurredAt);
        }
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
            problems = {ProblemType.NOT_FOUND, ProblemType.CONFLICT, ProblemType.RULE_BROKEN},
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

    /** A round of matches a game server reports at once: at most {@value #MAX_BATCH}. */
    public record RecordMatchesRequest(
            @NotNull @Size(min = 1, max = MAX_BATCH) List<@NotNull RecordMatchRequest> matches) {}

    /** One match's answer in a batch: the status and body the single {@code POST /api/matches} would have answered. */
    public record BatchAnswer(int status, Object body) {}

    /** {@code position}: the batch's {@code Ledger-Position}, at or past every match it recorded. */
    public record RecordMatchesResponse(List<BatchAnswer> results, long position) {}

    public static final int MAX_BATCH = 500;

    @Operation(
            summary = "Record a round of matches",
            description = "Up to " + MAX_BATCH + " matches, each as the body of POST /api/matches. Each is recorded on "
                    + "its own (atomic per match, not per batch) and idempotent by its matchId exactly as when sent "
                    + "alone; `results[i]` is the status and body that POST /api/matches would have answered for "
                    + "`matches[i]`: 201 recorded, 200 an identical retry, 409 the id reused with other content, 404 an "
                    + "unknown player, 400 an invalid match, 422 a broken rule, 503 not recorded now (send it again). "
                    + "The request itself answers 200 once every match has its answer; 400 when it is not a list of "
                    + "1-" + MAX_BATCH + " matches, 503 when the ledger is too busy to take it (nothing was recorded).")
    @Answers(id = "recordMatches", audience = Audience.GAME_SERVERS, roles = Role.RECORDER, write = true)
    @PostMapping("/batch")
    public RecordMatchesResponse recordAll(@Valid @RequestBody RecordMatchesRequest request) {
        List<BatchAnswer> results =
                new ArrayList<>(Collections.nCopies(request.matches().size(), null));
        List<Integer> queuedAt = new ArrayList<>();
        List<RecordMatchCommand> queued = new ArrayList<>();
        for (int i = 0; i < request.matches().size(); i++) {
            try {
                queued.add(commandOf(request.matches().get(i)));
                queuedAt.add(i);
            } catch (InvalidRequest invalid) {
                results.set(i, failed(invalid));
            }
        }
        List<CompletableFuture<MatchSettlement>> answers = recorder.recordAll(queued);
        List<MatchSettlement> settled = new ArrayList<>(Collections.nCopies(answers.size(), null));
        for (int q = 0; q < answers.size(); q++) {
            try {
                settled.set(q, MatchRecorder.answer(answers.get(q)));
            } catch (RuntimeException failure) {
                results.set(queuedAt.get(q), failed(failure));
            }
        }
        long position = positions.ofThisRequest();
        for (int q = 0; q < settled.size(); q++) {
            MatchSettlement settlement = settled.get(q);
            if (settlement != null) {
                results.set(
                        queuedAt.get(q),
                        new BatchAnswer(settlement.replayed() ? 200 : 201, MatchResponse.of(settlement, position)));
            }
        }
        return new RecordMatchesResponse(results, position);
    }

    /** As the single endpoint checks its body: the field rules first, then how the fields fit together. */
    private RecordMatchCommand commandOf(RecordMatchRequest match) {
        List<FieldProblem> problems = validator.validate(match).stream()
                .map(v -> new FieldProblem(v.getPropertyPath().toString(), v.getMessage()))
                .sorted(Comparator.comparing(FieldProblem::field))
                .toList();
        if (!problems.isEmpty()) {
            throw new InvalidRequest(problems);
        }
        return match.toCommand();
    }

    private BatchAnswer failed(RuntimeException failure) {
        ProblemDetail problem = problems.problemFor(failure);
        return new BatchAnswer(problem.getStatus(), problem);
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

    @ReadModel(MatchesProjection.PROCESSING_GROUP)
    @Answers(id = "getMatch", audience = Audience.DASHBOARDS, roles = Role.READER, problems = ProblemType.NOT_FOUND)
    @GetMapping("/{matchId}")
    public MatchView match(@PathVariable @Pattern(regexp = LedgerRules.MATCH_ID) String matchId) {
        return queries.query(new FindMatchQuery(matchId), ResponseTypes.optionalInstanceOf(MatchView.class))
                .join()
                .orElseThrow(() -> new NotFound("match " + matchId));
    }
}
