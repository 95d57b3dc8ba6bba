package io.matchledger.core.api;

import org.axonframework.commandhandling.RoutingKey;

/**
 * Reverses a recorded match on both players' ledgers; the match stays in history, marked voided. Idempotent by match
 * id alone: a match is voided at most once, and every later void of it, whatever its reason, answers the first one.
 */
public record VoidMatchCommand(@RoutingKey String matchId, String reason) {}
