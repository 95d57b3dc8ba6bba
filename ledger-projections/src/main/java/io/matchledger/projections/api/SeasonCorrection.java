package io.matchledger.projections.api;

import java.time.Instant;

/**
 * A post-seal correction: {@code LATE_MATCH}, a match played in the season but recorded after its close (not counted
 * in it); {@code LATE_VOID}, the void, after the close, of a match the season counts (still counted in it).
 */
public record SeasonCorrection(String kind, String matchId, String firstPlayerId, String secondPlayerId, Instant at) {}
