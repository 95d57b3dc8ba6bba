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
        long totalAfterBreakCount,
        List<SealCheck> seals) {

    /**
     * A sealed season recomputed: {@code events} and {@code standings} say whether the seal's two digests are what the
     * events give now, {@code readModel} whether the season standings of the read model hash to the sealed ones.
     */
    public record SealCheck(
            String seasonId,
            boolean ok,
            boolean events,
            boolean standings,
            boolean readModel,
            String sealedEventsSha256,
            String recomputedEventsSha256) {

        SealCheck(String seasonId, boolean events, boolean standings, boolean readModel, String sealed, String now) {
            this(seasonId, events && standings && readModel, events, standings, readModel, sealed, now);
        }
    }

    /**
     * A player whose total in the read model is not the sum of their events. {@code projected} is null when the read
     * model lacks a player it has already processed events of; {@code fromEvents} is null when it shows a player the
     * event store has no ledger for.
     */
    public record Mismatch(String playerId, Long projected, Long fromEvents) {}

    /** An event whose {@code totalAfter} is not the sum of the points of the player's ledger up to and including it. */
    public record TotalAfterBreak(String playerId, long sequence, long token, long totalAfter, long runningTotal) {}
}
