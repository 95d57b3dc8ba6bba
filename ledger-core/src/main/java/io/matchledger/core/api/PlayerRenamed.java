package io.matchledger.core.api;

import org.axonframework.serialization.Revision;

/** A new name for a player, sealed as in {@link PlayerRegistered} (revision 2; revision 1 held it in plain text). */
@Revision("2")
public record PlayerRenamed(String playerId, SealedName name) implements PlayerLedgerEvent {}
