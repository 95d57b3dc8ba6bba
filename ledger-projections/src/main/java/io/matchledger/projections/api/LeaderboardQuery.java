package io.matchledger.projections.api;

/** A page of the leaderboard; answers {@link LeaderboardPage}. */
public record LeaderboardQuery(int offset, int limit) {}
