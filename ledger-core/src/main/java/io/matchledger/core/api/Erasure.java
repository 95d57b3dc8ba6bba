package io.matchledger.core.api;

import java.time.Instant;

/**
 * The answer to {@link ErasePlayerCommand}: when the player was erased and why. {@code replayed} is true when the
 * player had been erased before and this is that first erasure again.
 */
public record Erasure(String playerId, String reason, Instant erasedAt, boolean replayed) {}
