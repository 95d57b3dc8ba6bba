package io.matchledger.core.api;

/** Ends a running season now, before its planned end, for a reason that stays on record. */
public record EndSeasonCommand(String seasonId, String reason) {}
