package io.matchledger.core.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@link RecordMatchCommand}: each player's share with their total right after the match, taken from
 * the player's own stream. {@code replayed} is true when an identical retry got the original answer back.
 */
public record MatchSettlement(
        String matchId,
        Outcome outcome,
        List<Share> players,
        Instant occurredAt,
        Instant recordedAt,
        boolean replayed) {}
