package io.matchledger.projections.api;

/** A match as recorded; answers {@code Optional<MatchView>}. */
public record FindMatchQuery(String matchId) {}
