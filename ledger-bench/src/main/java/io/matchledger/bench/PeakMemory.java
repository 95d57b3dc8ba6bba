package io.matchledger.bench;

import io.matchledger.bench.BenchReport.Memory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The peak RSS (VmHWM) of this JVM, which holds the service, its in-process load and the seeding. Linux lets a process
 * reset its own peak (writing 5 to /proc/self/clear_refs), so each database gets a peak of its own.
 */
final class PeakMemory {

    private PeakMemory() {}

    static void reset() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException unsupported) {
            // Not Linux, or not allowed: the peak then covers the run so far, as read() says.
        }
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    static Memory read(Progress progress, String database) {
        Map<String, Long> status = procStatus();
        double heapPeak = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP)
                        .mapToLong(pool -> pool.getPeakUsage().getUsed())
                        .sum()
                / 1048576.0;
        Memory memory = new Memory(
                status.getOrDefault("VmHWM", 0L) / 1024.0,
                status.getOrDefault("VmRSS", 0L) / 1024.0,
                Runtime.getRuntime().maxMemory() / 1048576.0,
                heapPeak,
                "VmHWM of the benchmark JVM (service + in-process load + seeding), reset when "
                        + "this database started; heap peak is the sum of the heap pools' peaks");
        progress.step(
                database,
                String.format(
                        Locale.ROOT,
                        "peak RSS %.0f MB (heap max %.0f MB, heap peak " + "used %.0f MB)",
                        memory.rssPeakMb(),
                        memory.heapMaxMb(),
                        memory.heapPeakUsedMb()),
                0);
        return memory;
    }

    private static Map<String, Long> procStatus() {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] parts = line.split("\\s+");
                if (parts.length >= 2 && (parts[0].equals("VmHWM:") || parts[0].equals("VmRSS:"))) {
                    values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // Reported as 0.
        }
        return values;
    }
}
