package io.matchledger.projections.api;

/** A player with up to {@code radius} neighbours above and below; answers {@code Optional<LeaderboardPage>}. */
public record LeaderboardAroundQuery(String playerId, int radius) {}
