package io.matchledger.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * One load at one number of concurrent clients: how many operations completed per second of wall time, and how long
 * each took. {@code firstError} says what went wrong first, if anything did; failed operations are not in the rate.
 * {@code cpu}, for the loads on the service's side (not the reads), is what they cost in CPU (see {@link Cpu}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LoadResult(
        int clients,
        long operations,
        long errors,
        double seconds,
        double perSecond,
        Latencies.LatencySummary latency,
        String firstError,
        Cpu cpu) {

    /**
     * CPU per operation (per match), in microseconds, read by {@link CpuMeter}.
     *
     * @param processUsPerMatch       the benchmark JVM's process CPU (service, projections, H2, the in-process
     *                                callers; never the HTTP client's JVM) from the start of the load until the
     *                                projections had handled its last event, per match: all that the matches cost
     * @param processUsPerMatchInLoad the same CPU until the load's last answer only: what the projections did later
     *                                is left out (for the baselines, which have no projections, the same)
     * @param postgresUsPerMatch      the PostgreSQL server's processes over the same span as processUsPerMatch, when
     *                                the server is on this machine; absent on H2
     * @param catchUpSeconds          how long the projections took after the load's last answer to reach its last
     *                                event (0 for the baselines)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Cpu(
            double processUsPerMatch,
            double processUsPerMatchInLoad,
            Double postgresUsPerMatch,
            double catchUpSeconds) {}

    static LoadResult of(
            int clients, long operations, long errors, long nanos, Latencies latencies, String firstError) {
        double seconds = nanos / 1e9;
        double perSecond = seconds == 0 ? 0 : (operations - errors) / seconds;
        return new LoadResult(clients, operations, errors, seconds, perSecond, latencies.summary(), firstError, null);
    }

    /** A load whose operations carried {@code matches} matches each: counts and rate per match, latency per request. */
    LoadResult perMatch(int matches) {
        return new LoadResult(
                clients,
                operations * matches,
                errors * matches,
                seconds,
                perSecond * matches,
                latency,
                firstError,
                cpu);
    }

    LoadResult withCpu(Cpu measured) {
        return new LoadResult(clients, operations, errors, seconds, perSecond, latency, firstError, measured);
    }

    /** One line for the progress output: clients, rate, p50 and p99, and the first error if any. */
    String describe(String unit) {
        return String.format(
                Locale.ROOT,
                "%d client%s: %,.0f %s/s, p50 %.2f ms, p99 %.2f ms%s%s",
                clients,
                clients == 1 ? "" : "s",
                perSecond,
                unit,
                latency.p50Ms(),
                latency.p99Ms(),
                cpu == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", CPU %,.0f us/match%s",
                                cpu.processUsPerMatch(),
                                cpu.postgresUsPerMatch() == null
                                        ? ""
                                        : String.format(Locale.ROOT, " + postgres %,.0f", cpu.postgresUsPerMatch())),
                errors > 0 ? ", " + errors + " errors (" + firstError + ")" : "");
    }
}
