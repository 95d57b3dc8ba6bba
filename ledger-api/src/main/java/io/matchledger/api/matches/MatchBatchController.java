package io.matchledger.api.matches;

import io.matchledger.api.matches.MatchController.MatchResponse;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.FieldProblem;
import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.api.web.ProblemResponses;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.RecordMatchCommand;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The batch endpoint for game servers that report a round of matches at once, each answered as if sent alone. */
@RestController
@RequestMapping("/api/matches")
public class MatchBatchController {

    private final MatchRecorder recorder;
    private final Validator validator;
    private final ProblemResponses problems;
    private final WritePositions positions;

    public MatchBatchController(
            MatchRecorder recorder, Validator validator, ProblemResponses problems, WritePositions positions) {
        this.recorder = recorder;
        this.validator = validator;
        this.problems = problems;
        this.positions = positions;
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
}
