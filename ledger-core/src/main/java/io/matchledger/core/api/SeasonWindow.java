package io.matchledger.core.api;

import java.time.Duration;
import java.time.Instant;

/**
 * A season as an operator defines it, and where a match lands in it (ADR 0013), stated here once: a match is in the
 * season whose window {@code [start, end)} holds when it was played ({@code occurredAt}), and counts there when the
 * ledger recorded it before the season's close ({@code end + grace}); what the ledger records after the close is a
 * post-seal correction. The season tables (projections' {@code SeasonTables}) and the seals (api's
 * {@code SeasonSeals}) place matches by {@link #holds} and {@link #counts}.
 */
public record SeasonWindow(String seasonId, String name, Instant start, Instant end, Duration grace) {

    public Instant closesAt() {
        return end.plus(grace);
    }

    /** Whether a match played at {@code occurredAt} is in this season. */
    public boolean holds(Instant occurredAt) {
        return holds(start, end, occurredAt);
    }

    /** Whether what the ledger recorded at {@code recordedAt} (a match, a void) came before the close: it counts. */
    public boolean inTime(Instant recordedAt) {
        return recordedAt.isBefore(closesAt());
    }

    /** Whether a match played at {@code occurredAt} and recorded at {@code recordedAt} counts in this season. */
    public boolean counts(Instant occurredAt, Instant recordedAt) {
        return counts(start, end, closesAt(), occurredAt, recordedAt);
    }

    /** {@link #holds(Instant)}, for a window known by its bounds. */
    public static boolean holds(Instant start, Instant end, Instant occurredAt) {
        return !occurredAt.isBefore(start) && occurredAt.isBefore(end);
    }

    /** {@link #counts(Instant, Instant)}, for a window known by its bounds and close. */
    public static boolean counts(Instant start, Instant end, Instant closesAt, Instant occurredAt, Instant recordedAt) {
        return holds(start, end, occurredAt) && recordedAt.isBefore(closesAt);
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
