package io.matchledger.core.api;

/** A correction on one player's ledger, such as an opening balance migrated from a legacy system. */
public record PointsAdjusted(String playerId, String adjustmentId, int points, String reason, long totalAfter)
        implements PlayerLedgerEvent {}
