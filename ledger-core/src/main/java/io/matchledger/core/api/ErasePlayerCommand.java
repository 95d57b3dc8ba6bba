package io.matchledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Erases a player's personal data; a player erased already is answered with the first erasure. */
public record ErasePlayerCommand(@TargetAggregateIdentifier String playerId, String reason) {}
