package io.matchledger.core.api;

/**
 * A player's personal data was erased (ADR 0019): their key is destroyed in the same transaction, so every name
 * sealed under it is unreadable for good. The ledger itself stands: the player keeps their id, totals, matches and
 * seasons, shown under {@link LedgerRules#ERASED_LABEL}. It holds no personal data: the id, and the operator's reason,
 * which the ledger refuses when it contains the player's name.
 */
public record PlayerErased(String playerId, String reason) implements PlayerLedgerEvent {}
