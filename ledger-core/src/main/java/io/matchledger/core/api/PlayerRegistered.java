package io.matchledger.core.api;

import org.axonframework.serialization.Revision;

/**
 * The first event of a player's ledger. Revision 2: the name is sealed under the player's key (ADR 0019); revision 1
 * (stored without a revision) held it in plain text, which the upgrade seals in place (V12.1) or, where it cannot, an
 * upcaster hands on as a plain {@link SealedName}.
 */
@Revision("2")
public record PlayerRegistered(String playerId, SealedName name) implements PlayerLedgerEvent {}
