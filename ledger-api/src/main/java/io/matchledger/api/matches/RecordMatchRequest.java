package io.matchledger.api.matches;

import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.GenericEventMessage;

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
        // A match from the future would land in a season before it starts (ADR 0013); the ledger refuses it too.
        if (occurredAt != null
                && occurredAt.isAfter(GenericEventMessage.clock.instant().plus(LedgerRules.CLOCK_SKEW))) {
            throw new InvalidRequest(
                    "occurredAt",
                    "must not be ahead of the ledger's clock by more than " + LedgerRules.CLOCK_SKEW.toSeconds()
                            + " s");
        }
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
                throw InvalidRequest.ruleBroken("loser", LedgerRules.SELF_MATCH);
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
            throw InvalidRequest.ruleBroken("draw", LedgerRules.SELF_MATCH);
        }
        return new RecordMatchCommand(matchId, draw.get(0), draw.get(1), Outcome.DRAW, occurredAt);
    }
}
