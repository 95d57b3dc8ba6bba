package io.matchledger.projections.api;

/** {@link LeaderboardQuery} within a season: its players in the same order. Answers {@link LeaderboardPage}. */
public record SeasonLeaderboardQuery(String seasonId, int offset, int limit) {}
