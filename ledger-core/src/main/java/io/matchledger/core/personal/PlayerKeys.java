package io.matchledger.core.personal;

import java.util.Optional;

/**
 * Where each player's key is kept (ADR 0019): a table beside the event store on the JPA store, so that an erasure's
 * event and the destruction of the key commit in one transaction. Its methods run in the caller's transaction.
 */
public interface PlayerKeys {

    /** The player's key: the stored one, or {@code fresh}, stored now, when the player has none. */
    byte[] findOrStore(String playerId, byte[] fresh);

    /** The player's key, if they have one. */
    Optional<byte[]> find(String playerId);

    /** Destroys the player's key for good; nothing happens when there is none. */
    void destroy(String playerId);
}
