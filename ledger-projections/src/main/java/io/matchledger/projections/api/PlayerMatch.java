package io.matchledger.projections.api;

import io.matchledger.core.api.MatchResult;
import java.time.Instant;

/**
 * One match on a player's ledger as it was recorded: the points it gave and the total right after. A voided match
 * keeps those numbers, which are history; {@code voided} says they were reversed since.
 */
public record PlayerMatch(
        String matchId,
        String opponentId,
        MatchResult result,
        int points,
        long totalAfter,
        boolean voided,
        Instant occurredAt,
        Instant recordedAt) {}
