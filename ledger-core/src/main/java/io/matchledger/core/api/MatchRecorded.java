package io.matchledger.core.api;

import java.time.Instant;

/**
 * A match on one player's ledger. It carries the points awarded and the total right after, so every point is
 * traceable and a later change of the scoring rule never rewrites history.
 */
public record MatchRecorded(String playerId,
                            String matchId,
                            String opponentId,
                            MatchResult result,
                            int points,
                            long totalAfter,
                            Instant occurredAt) {
}
