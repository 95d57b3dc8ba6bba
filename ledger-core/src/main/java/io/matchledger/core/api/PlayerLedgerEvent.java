package io.matchledger.core.api;

/**
 * What a player's ledger (the {@code Player} stream, one per player id) records, in order: the player registered,
 * renamed or erased, and each change of the player's points with the total after it. A match shows here as the
 * player's own share of it ({@link MatchRecorded}, {@link MatchVoided}); the match as one fact, both shares at once,
 * lives in the match's stream ({@link MatchStreamEvent}).
 */
public sealed interface PlayerLedgerEvent
        permits PlayerRegistered, PlayerRenamed, PlayerErased, MatchRecorded, MatchVoided, PointsAdjusted {

    /** The ledger's stream: every event of a player carries the player's id. */
    String playerId();
}
