package io.matchledger.api.dashboard;

import io.matchledger.api.matches.MatchController;
import io.matchledger.api.matches.MatchController.MatchResponse;
import io.matchledger.api.matches.MatchRecorder;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A player speaks for themselves: they concede a loss or declare a draw they played. The player is always the
 * authenticated account (role PLAYER, whose name is the playerId), never a field of the body, so nobody can concede
 * someone else's loss or put two other players into a draw; and a player cannot claim a win at all.
 */
@RestController
public class OwnMatchesController {

    /** What a player may declare about their own match. */
    public enum Declaration {
        /** I lost to the opponent: the opponent wins 3 points, I get 0. */
        LOSS,
        /** We drew: 1 point each. */
        DRAW
    }

    /**
     * @param matchId a new id per click, chosen by the client; the same id again is a retry of the same click, and
     *                counts once
     */
    public record DeclareMatchRequest(
            @NotNull @Pattern(regexp = LedgerRules.MATCH_ID) String matchId,

            @NotNull @Pattern(regexp = LedgerRules.PLAYER_ID)
            String opponentId,

            @NotNull Declaration result) {}

    private final MatchRecorder recorder;
    private final WritePositions positions;

    public OwnMatchesController(MatchRecorder recorder, WritePositions positions) {
        this.recorder = recorder;
        this.positions = positions;
    }

    @Operation(
            summary = "Concede your loss or declare a draw you played (role PLAYER)",
            description = "`{\"matchId\",\"opponentId\",\"result\":\"LOSS\"|\"DRAW\"}`: recorded as "
                    + "`POST /api/matches` records it, with the authenticated player as the loser or as one side of "
                    + "the draw. Answers like `POST /api/matches`: 201 when recorded, 200 for an identical retry "
                    + "(same matchId), 409 for a matchId used for another match, 404 when a player is not registered, "
                    + "422 for yourself as opponent. From a browser session the page's CSRF token is required; with "
                    + "HTTP Basic it is not.")
    @Answers(
            id = "declareOwnMatch",
            audience = Audience.PLAYERS,
            roles = Role.PLAYER,
            success = {201, 200},
            location = true,
            problems = {
                ProblemType.CSRF,
                ProblemType.NOT_FOUND,
                ProblemType.CONFLICT,
                ProblemType.PLAYER_ERASED,
                ProblemType.RULE_BROKEN
            },
            write = true)
    @PostMapping("/api/me/matches")
    public ResponseEntity<MatchResponse> declare(
            @Valid @RequestBody DeclareMatchRequest request, Authentication player) {
        String me = player.getName();
        if (me.equals(request.opponentId())) {
            throw InvalidRequest.ruleBroken("opponentId", LedgerRules.SELF_MATCH);
        }
        RecordMatchCommand command = switch (request.result()) {
            case LOSS -> new RecordMatchCommand(request.matchId(), request.opponentId(), me, Outcome.WIN, null);
            case DRAW -> new RecordMatchCommand(request.matchId(), me, request.opponentId(), Outcome.DRAW, null);
        };
        return MatchController.answer(recorder.record(command), positions.ofThisRequest());
    }
}
