package io.matchledger.projections.api;

/** {@link LeaderboardAroundQuery} within a season; empty for a player who has no match in it. */
public record SeasonAroundQuery(String seasonId, String playerId, int radius) {}
