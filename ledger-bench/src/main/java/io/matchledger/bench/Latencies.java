package io.matchledger.bench;

import org.HdrHistogram.Histogram;

/**
 * Latencies of one kind of operation, in nanoseconds, to three significant digits. Not thread-safe: every client
 * thread records into its own and they are added up at the end, so recording never contends.
 */
final class Latencies {

    private final Histogram histogram = new Histogram(3);

    void record(long nanos) {
        histogram.recordValue(Math.max(1, nanos));
    }

    void add(Latencies other) {
        histogram.add(other.histogram);
    }

    LatencySummary summary() {
        if (histogram.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        return new LatencySummary(
                histogram.getTotalCount(),
                millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getMaxValue()),
                histogram.getMean() / 1e6);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    /** What a table shows of a set of latencies; milliseconds. */
    record LatencySummary(long count, double p50Ms, double p99Ms, double maxMs, double meanMs) {}
}
