package io.matchledger.core.api;

/** An adjustment on its own stream, which makes the adjustment id unique like a match id. */
public record AdjustmentBooked(String adjustmentId, String playerId, int points, String reason, long totalAfter)
        implements AdjustmentStreamEvent {}
