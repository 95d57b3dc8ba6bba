package io.matchledger.projections.api;

import java.time.Instant;

/**
 * {@link PlayerMatchesQuery} within a season's window: the player's matches played in {@code [from, to)}, newest
 * first. Answers {@code Optional<PlayerMatchesPage>}; {@code total} counts the matches in the window.
 */
public record SeasonMatchesQuery(String playerId, Instant from, Instant to, int page, int size) {}
