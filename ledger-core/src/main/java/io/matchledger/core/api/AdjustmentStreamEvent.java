package io.matchledger.core.api;

/**
 * What an adjustment's key stream (one per adjustment id) records: that it was booked, once, so a retried adjustment
 * is recognised. The points themselves are on the player's ledger ({@link PointsAdjusted}).
 */
public sealed interface AdjustmentStreamEvent permits AdjustmentBooked {}
