package io.matchledger.projections.api;

import io.matchledger.core.api.Outcome;
import java.time.Instant;
import java.util.List;

public record MatchView(
        String matchId, Outcome outcome, List<Side> players, Instant occurredAt, Instant recordedAt, boolean voided) {

    /** One player's side of the match: result and the points it awarded. */
    public record Side(String playerId, io.matchledger.core.api.MatchResult result, int points) {}
}
