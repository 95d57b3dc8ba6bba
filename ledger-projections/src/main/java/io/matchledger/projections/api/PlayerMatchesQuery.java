package io.matchledger.projections.api;

/**
 * A page of a player's matches, newest first, voided ones included and marked; answers
 * {@code Optional<PlayerMatchesPage>}, empty for a player the history does not know.
 */
public record PlayerMatchesQuery(String playerId, int page, int size) {}
