package io.matchledger.core.api;

/** How a match ended, from the point of view of the match: someone won, or nobody did. */
public enum Outcome {
    WIN,
    DRAW
}
