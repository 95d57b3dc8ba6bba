package io.matchledger.projections.api;

/** A player as dashboards see them; {@code rank} is the 1-based position on the leaderboard. */
public record PlayerView(
        String playerId, String name, long points, long wins, long draws, long losses, long matches, long rank) {}
