package io.matchledger.core.api;

import java.time.Instant;

/** The answer to {@link AdjustPointsCommand}; {@code replayed} as in {@link MatchSettlement}. */
public record AdjustmentReceipt(
        String adjustmentId,
        String playerId,
        int points,
        String reason,
        long totalAfter,
        Instant recordedAt,
        boolean replayed) {}
