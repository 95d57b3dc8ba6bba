package io.matchledger.core.api;

import java.time.Instant;
import org.axonframework.commandhandling.RoutingKey;

/**
 * Records a match on both players' ledgers. For {@link Outcome#WIN} the first player won and the second lost; for
 * {@link Outcome#DRAW} the order means nothing. {@code occurredAt} is optional: null means "when it is recorded".
 */
public record RecordMatchCommand(
        @RoutingKey String matchId, String firstPlayerId, String secondPlayerId, Outcome outcome, Instant occurredAt) {}
