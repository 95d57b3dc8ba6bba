package io.matchledger.core.api;

/** One player's share of a settled match: the result, the points it gave, and the total right after. */
public record Share(String playerId, MatchResult result, int points, long totalAfter) {}
