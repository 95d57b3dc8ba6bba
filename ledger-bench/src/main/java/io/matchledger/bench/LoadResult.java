package io.matchledger.bench;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Locale;

/**
 * One load at one number of concurrent clients: how many operations completed per second of wall time, and how long
 * each took. {@code firstError} says what went wrong first, if anything did; failed operations are not in the rate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LoadResult(int clients,
                  long operations,
                  long errors,
                  double seconds,
                  double perSecond,
                  Latencies.LatencySummary latency,
                  String firstError) {

    static LoadResult of(int clients, long operations, long errors, long nanos, Latencies latencies,
                         String firstError) {
        double seconds = nanos / 1e9;
        double perSecond = seconds == 0 ? 0 : (operations - errors) / seconds;
        return new LoadResult(clients, operations, errors, seconds, perSecond, latencies.summary(), firstError);
    }

    /** One line for the progress output: clients, rate, p50 and p99, and the first error if any. */
    String describe(String unit) {
        return String.format(Locale.ROOT, "%d client%s: %,.0f %s/s, p50 %.2f ms, p99 %.2f ms%s", clients,
                             clients == 1 ? "" : "s", perSecond, unit, latency.p50Ms(), latency.p99Ms(),
                             errors > 0 ? ", " + errors + " errors (" + firstError + ")" : "");
    }
}
