package io.matchledger.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU of the benchmark JVM's threads, by group (a thread's name without its trailing number: the matches processor's
 * thread, the command bus's pool, the load's callers), to say where a difference in process CPU comes from. JVM
 * threads outside Java's view (GC, JIT compiler) are not listed; the process CPU of {@link CpuMeter} counts them.
 * A thread that ends between two readings takes its CPU with it.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {}

    /** Nanoseconds of CPU per thread id, with the thread's group. */
    record Reading(Map<Long, Long> nanos, Map<Long, String> groups) {}

    static Reading read() {
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> groups = new HashMap<>();
        if (!THREADS.isThreadCpuTimeSupported()) {
            return new Reading(nanos, groups);
        }
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                nanos.put(info.getThreadId(), cpu);
                groups.put(info.getThreadId(), group(info.getThreadName()));
            }
        }
        return new Reading(nanos, groups);
    }

    /**
     * Microseconds per operation by group between two readings, largest first, groups under half a microsecond left
     * out; a thread new since {@code from} counts from 0.
     */
    static Map<String, Double> usPer(Reading from, Reading to, long operations) {
        Map<String, Double> byGroup = new HashMap<>();
        to.nanos()
                .forEach((id, nanos) -> byGroup.merge(
                        to.groups().get(id),
                        (nanos - from.nanos().getOrDefault(id, 0L)) / 1e3 / Math.max(1, operations),
                        Double::sum));
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream()
                .filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Math.round(e.getValue() * 10) / 10.0));
        return sorted;
    }

    /** The mean of several turns' breakdowns, group by group (a group missing from a turn counts 0 there). */
    static Map<String, Double> mean(Iterable<Map<String, Double>> turns) {
        Map<String, Double> sum = new HashMap<>();
        int count = 0;
        for (Map<String, Double> turn : turns) {
            turn.forEach((group, us) -> sum.merge(group, us, Double::sum));
            count++;
        }
        int n = Math.max(1, count);
        Map<String, Double> sorted = new LinkedHashMap<>();
        sum.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), Math.round(e.getValue() / n * 10) / 10.0));
        return sorted;
    }

    /**
     * The CPU of the threads of one name prefix, followed while they come and go (a rebuild's processor is stopped and
     * started again around its held rows, with a new thread): each thread's last reading counts.
     */
    static final class Following {

        private final String prefix;
        private final Map<Long, Long> lastSeen = new HashMap<>();

        Following(String prefix) {
            this.prefix = prefix;
        }

        /** Takes a reading; call it more often than the followed threads come and go. */
        void sample() {
            if (!THREADS.isThreadCpuTimeSupported()) {
                return;
            }
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith(prefix)) {
                    long cpu = THREADS.getThreadCpuTime(info.getThreadId());
                    if (cpu >= 0) {
                        lastSeen.put(info.getThreadId(), cpu);
                    }
                }
            }
        }

        long nanos() {
            return lastSeen.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static String group(String threadName) {
        return threadName.replaceFirst("[-#\\s]*\\d+$", "");
    }
}
