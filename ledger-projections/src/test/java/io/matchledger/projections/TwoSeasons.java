package io.matchledger.projections;

import static io.matchledger.projections.LedgerScript.time;

import io.matchledger.core.api.SeasonWindow;
import java.time.Duration;

/**
 * Two seasons back to back, and a game across them that the season tests share: matches in each season and one after
 * both, a void among them, with the seasons defined before the matches or after them.
 */
final class TwoSeasons {

    /** Season one: matches played from position 0 to position 1000 (seconds after the start), closing 100 s later. */
    static final SeasonWindow ONE = new SeasonWindow("s1", "Season one", time(0), time(1_000), Duration.ofSeconds(100));
    /** Season two starts where season one ends. */
    static final SeasonWindow TWO =
            new SeasonWindow("s2", "Season two", time(1_000), time(2_000), Duration.ofSeconds(100));

    private TwoSeasons() {}

    /** Matches of both seasons and outside them, a void among them; the seasons defined first or last. */
    static void play(LedgerScript ledger, boolean definedFirst) {
        if (definedFirst) {
            ledger.defineSeasons(ONE, TWO);
        }
        ledger.win("m-1", "ann", "bob", time(100));
        ledger.draw("m-2", "bob", "cid", time(200));
        ledger.win("m-3", "cid", "ann", time(1_500));
        ledger.win("m-4", "dan", "ann", time(2_500));
        ledger.voidMatch("m-2");
        if (!definedFirst) {
            ledger.defineSeasons(ONE, TWO);
        }
    }
}
