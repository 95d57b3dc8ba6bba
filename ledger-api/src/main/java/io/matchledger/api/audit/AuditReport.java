package io.matchledger.api.audit;

import java.util.List;

/**
 * What the verification found. {@code eventsThrough} is the global index it read the store up to. Each list holds at
 * most {@link LedgerVerification#LISTED} entries; the counts say how many there were.
 */
public record AuditReport(
        long playersChecked,
        long eventsRead,
        long eventsThrough,
        List<Mismatch> mismatches,
        long mismatchCount,
        List<TotalAfterBreak> totalAfterBreaks,
        long totalAfterBreakCount) {

    /**
     * A player whose total in the read model is not the sum of their events. {@code projected} is null when the read
     * model lacks a player it has already processed events of; {@code fromEvents} is null when it shows a player the
     * event store has no ledger for.
     */
    public record Mismatch(String playerId, Long projected, Long fromEvents) {}

    /** An event whose {@code totalAfter} is not the sum of the points of the player's ledger up to and including it. */
    public record TotalAfterBreak(String playerId, long sequence, long token, long totalAfter, long runningTotal) {}
}
