package io.matchledger.projections.api;

/** One player's standing; answers {@code Optional<PlayerView>}. */
public record FindPlayerQuery(String playerId) {}
