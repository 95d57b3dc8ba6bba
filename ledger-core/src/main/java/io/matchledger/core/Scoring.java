package io.matchledger.core;

import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.Outcome;

/** The scoring rule, in one place: a win gives 3 points, a loss 0, a draw 1 to each player. */
public final class Scoring {

    private Scoring() {}

    public static int pointsFor(MatchResult result) {
        return switch (result) {
            case WIN -> 3;
            case LOSS -> 0;
            case DRAW -> 1;
        };
    }

    /** The result of the first named player; for a decisive match the first named player is the winner. */
    public static MatchResult firstPlayersResult(Outcome outcome) {
        return outcome == Outcome.WIN ? MatchResult.WIN : MatchResult.DRAW;
    }

    public static MatchResult secondPlayersResult(Outcome outcome) {
        return outcome == Outcome.WIN ? MatchResult.LOSS : MatchResult.DRAW;
    }
}
