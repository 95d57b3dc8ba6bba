package io.matchledger.bench;

import java.util.SplittableRandom;

/**
 * Who plays match number {@code i}: two distinct players of a pool, drawn from {@code i} alone. The ledger, its HTTP
 * path and every baseline therefore play the very same matches between the very same players, with the same chances
 * of two concurrent matches sharing a player.
 */
record MatchPairs(String prefix, int players) {

    MatchPairs {
        if (players < 2) {
            throw new IllegalArgumentException("a match needs at least two players, the pool has " + players);
        }
    }

    String player(int index) {
        return prefix + index;
    }

    /** The winner of match {@code i}. */
    String winner(long i) {
        return player(draw(i)[0]);
    }

    /** The loser of match {@code i}. */
    String loser(long i) {
        return player(draw(i)[1]);
    }

    private int[] draw(long i) {
        SplittableRandom random = new SplittableRandom(i);
        int first = random.nextInt(players);
        int second = random.nextInt(players - 1);
        return new int[] {first, second >= first ? second + 1 : second};
    }
}
