package io.matchledger.api.players;

import io.matchledger.api.config.TimelyCommands;
import io.matchledger.api.positions.MinPosition;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.api.web.LedgerText;
import io.matchledger.core.api.ErasePlayerCommand;
import io.matchledger.core.api.Erasure;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.projections.StandingsProjection;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The right to erasure (issue 27, ADR 0019): a player's personal data is erased, their ledger stands. Answered once
 * the standings, the one read model that holds names, show the neutral label: from the answer on no read shows the
 * name, in this process or any other on the same database.
 */
@RestController
public class ErasureController {

    private static final Logger log = LoggerFactory.getLogger(ErasureController.class);

    private final TimelyCommands commands;
    private final WritePositions positions;
    private final MinPosition readModels;

    public ErasureController(TimelyCommands commands, WritePositions positions, MinPosition readModels) {
        this.commands = commands;
        this.positions = positions;
        this.readModels = readModels;
    }

    /**
     * @param reason why, kept for good in the erasure's event: a ticket or a legal ground, never the person's data
     *               (a reason that contains the player's name is refused)
     */
    public record ErasureRequest(
            @LedgerText(value = LedgerText.Kind.REASON, max = LedgerRules.REASON_MAX)
            String reason) {}

    /** {@code name}: what every read shows for the player from now on. */
    public record ErasureResponse(String playerId, String name, String reason, Instant erasedAt, long position) {}

    @Operation(
            summary = "Erase a player's personal data (admin)",
            description = "`{\"reason\"}` (1-500 characters; kept for good, so never the person's data: a reason "
                    + "that contains the player's name is refused with 422). The player's key is destroyed, so "
                    + "every name the events hold for them is unreadable for good; the events themselves, every "
                    + "total, match, rank, season and seal stay as they were, and every read shows the player as "
                    + "`Erased player`. Answered once the read model shows it. 201 when erased; any later erasure "
                    + "answers 200 with the first one. The id stays retired: registering it again, or a new match "
                    + "with it, is 409 /problems/player-erased. 404 for a player never registered. What the ledger "
                    + "cannot erase by itself (backups, database files): README, \"Right to erasure\".")
    @Answers(
            id = "erasePlayer",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = {201, 200},
            location = true,
            problems = {ProblemType.NOT_FOUND, ProblemType.RULE_BROKEN, ProblemType.NOT_YET_VISIBLE},
            write = true)
    @PostMapping("/api/players/{playerId}/erasure")
    public ResponseEntity<ErasureResponse> erase(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @Valid @RequestBody ErasureRequest request) {
        Erasure erasure = commands.sendAndWait(new ErasePlayerCommand(playerId, request.reason()));
        long position = positions.ofThisRequest();
        // The id, never a name: this line is the operator's record of the erasure, to apply again after restoring a
        // backup taken before it (README).
        if (!erasure.replayed()) {
            log.info("Erased the personal data of player {} (position {})", playerId, position);
        }
        readModels.await(StandingsProjection.NAME, position);
        ErasureResponse body =
                new ErasureResponse(playerId, LedgerRules.ERASED_LABEL, erasure.reason(), erasure.erasedAt(), position);
        return ResponseEntity.status(erasure.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(URI.create("/api/players/" + playerId))
                .body(body);
    }
}
