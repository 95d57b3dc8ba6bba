package io.matchledger.core.api;

import java.time.Instant;
import java.util.Objects;
import org.axonframework.serialization.Revision;

/**
 * A match on one player's ledger. It carries the points awarded and the total right after, so every point is
 * traceable and a later change of the scoring rule never rewrites history.
 * <p>
 * Revision 2: {@code occurredAt} is required. Revision 1 (stored without a revision) could lack it; the
 * {@code UndatedMatchUpcaster} dates such events with the moment they were recorded.
 */
@Revision("2")
public record MatchRecorded(
        String playerId,
        String matchId,
        String opponentId,
        MatchResult result,
        int points,
        long totalAfter,
        Instant occurredAt)
        implements PlayerLedgerEvent {

    public MatchRecorded {
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
