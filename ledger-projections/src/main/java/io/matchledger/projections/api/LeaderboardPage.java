package io.matchledger.projections.api;

import java.util.List;

/** Entries in leaderboard order, starting at {@code offset}; {@code total} counts all ranked players. */
public record LeaderboardPage(int offset, int limit, long total, List<LeaderboardEntry> items) {}
