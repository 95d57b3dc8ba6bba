package io.matchledger.core.api;

import java.time.Duration;
import java.time.Instant;

/**
 * A season as an operator defines it: matches played in {@code [start, end)} count in it, and those reported until
 * {@code end + grace} (its close) still do; what the ledger records after the close is a post-seal correction.
 */
public record SeasonWindow(String seasonId, String name, Instant start, Instant end, Duration grace) {

    public Instant closesAt() {
        return end.plus(grace);
    }

    public boolean overlaps(SeasonWindow other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }

    /** The same season as defined: id, name and window; the grace counts too, as it decides the close. */
    public boolean sameAs(SeasonWindow other) {
        return seasonId.equals(other.seasonId)
                && name.equals(other.name)
                && start.equals(other.start)
                && end.equals(other.end)
                && grace.equals(other.grace);
    }
}
