package io.matchledger.projections.api;

import java.time.Instant;
import java.util.List;

/**
 * Why a player stands where they do. {@code entries} are the ledger entries that make {@code points} (their points
 * sum to it; a voided match is listed with its void), at most 1,000, oldest first; {@code entryCount} counts them all.
 * {@code above} and {@code below} are the neighbours (null at either end), each with {@code decidedBy}: what puts
 * the higher of the two first: {@code points}, {@code reachedFirst} (same points, reached earlier) or
 * {@code playerId} (same points at the same millisecond).
 */
public record Explanation(
        String playerId,
        String seasonId,
        long points,
        long rank,
        Instant reachedAt,
        long entryCount,
        List<Entry> entries,
        Neighbour above,
        Neighbour below) {

    /** One entry: {@code kind} MATCH, VOID or ADJUSTMENT, its points, and the match or adjustment it belongs to. */
    public record Entry(
            String kind, String matchId, String adjustmentId, String result, int points, Instant recordedAt) {}

    public record Neighbour(String playerId, long rank, long points, Instant reachedAt, String decidedBy) {}
}
