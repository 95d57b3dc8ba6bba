package io.matchledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Creates the player, or renames them; a repeat with the same name changes nothing. */
public record RegisterPlayerCommand(
        @TargetAggregateIdentifier String playerId, String name) {}
