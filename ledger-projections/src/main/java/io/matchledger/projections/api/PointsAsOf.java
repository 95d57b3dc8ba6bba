package io.matchledger.projections.api;

import java.time.Instant;

public record PointsAsOf(String playerId, Instant asOf, long points) {}
