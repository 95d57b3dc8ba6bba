package io.matchledger.core.api;

import java.time.Instant;
import java.util.List;

/**
 * The match as the game server reported it, on the match's own stream. Being the first event of that stream is
 * what makes a match id unique, durably and across processes.
 */
public record MatchSettled(String matchId, Outcome outcome, List<Share> players, Instant occurredAt) {
}
