package io.matchledger.core.api;

/**
 * A match reversed on one player's ledger. {@code points} is the negative of what the match awarded (0 for a loss),
 * {@code result} the result being reversed, so the entry reads on its own, as {@link MatchRecorded} does.
 */
public record MatchVoided(
        String playerId,
        String matchId,
        String opponentId,
        MatchResult result,
        int points,
        String reason,
        long totalAfter)
        implements PlayerLedgerEvent {}
