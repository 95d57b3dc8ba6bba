package io.matchledger.core.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.axonframework.serialization.Revision;

/**
 * The match as the game server reported it, on the match's own stream. Being the first event of that stream is
 * what makes a match id unique, durably and across processes.
 * <p>
 * Revision 2: {@code occurredAt} is required, as in {@link MatchRecorded}.
 */
@Revision("2")
public record MatchSettled(String matchId, Outcome outcome, List<Share> players, Instant occurredAt)
        implements MatchStreamEvent {

    public MatchSettled {
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
