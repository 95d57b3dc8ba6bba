package io.matchledger.projections;

/** What put an entry on a player's ledger. */
public enum EntryKind {
    MATCH,
    VOID,
    ADJUSTMENT
}
