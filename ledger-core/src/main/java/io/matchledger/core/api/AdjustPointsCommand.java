package io.matchledger.core.api;

import org.axonframework.commandhandling.RoutingKey;

/** Adds (or, when negative, removes) points with a reason; {@code adjustmentId} is the idempotency key. */
public record AdjustPointsCommand(@RoutingKey String playerId, String adjustmentId, int points, String reason) {}
