package io.matchledger.projections.api;

import java.time.Instant;

/**
 * A player's total as it stood at an instant: after every event recorded at or before it, matches, voids and
 * adjustments alike. Answers {@code Optional<PointsAsOf>}, empty for a player the history does not know.
 */
public record PointsAsOfQuery(String playerId, Instant asOf) {}
