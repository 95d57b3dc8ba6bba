package io.matchledger.core.api;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@link VoidMatchCommand}: each player's reversal ({@code points} negative or 0) and total right
 * after it, from the player's own stream. {@code replayed} is true when the match had been voided before: the answer is
 * then that first void's, unchanged.
 */
public record VoidReceipt(String matchId, String reason, List<Share> reversals, Instant voidedAt, boolean replayed) {}
