package io.matchledger.projections.api;

import java.util.Objects;

/**
 * An event that tells the read models to compute a player's rows, or a match's, again from the ledger's own stream: the
 * ledger's self-check found them unequal to the events (ADR 0022). It changes no ledger: every total still comes from
 * the ledger's events. It goes through the store, so that the processor applies it in the player's segment, in order
 * with the player's events, in whichever process holds that segment; and so that the repair stays on record.
 *
 * @param playerId   the player whose standing and history are computed again, or null
 * @param matchId    the match whose row is computed again, or null
 * @param divergence what the check found, for the record
 */
public record ReadModelRepair(String playerId, String matchId, String divergence) {

    public ReadModelRepair {
        if ((playerId == null) == (matchId == null)) {
            throw new IllegalArgumentException("a repair names a player or a match");
        }
        Objects.requireNonNull(divergence, "divergence");
    }

    public static ReadModelRepair ofPlayer(String playerId, String divergence) {
        return new ReadModelRepair(playerId, null, divergence);
    }

    public static ReadModelRepair ofMatch(String matchId, String divergence) {
        return new ReadModelRepair(null, matchId, divergence);
    }
}
