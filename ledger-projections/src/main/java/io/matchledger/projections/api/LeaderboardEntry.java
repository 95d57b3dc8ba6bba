package io.matchledger.projections.api;

public record LeaderboardEntry(long rank, String playerId, String name, long points, long matches) {}
