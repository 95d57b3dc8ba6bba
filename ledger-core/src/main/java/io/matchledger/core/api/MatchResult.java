package io.matchledger.core.api;

/** How a match ended for one player. */
public enum MatchResult {
    WIN,
    LOSS,
    DRAW
}
