package io.matchledger.projections.api;

/**
 * A player's standing within a season. A registered player with no match counted in it stands at 0, ranked after
 * everyone who has one. Answers {@code Optional<PlayerView>}, empty for an unknown player.
 */
public record SeasonPlayerQuery(String seasonId, String playerId) {}
