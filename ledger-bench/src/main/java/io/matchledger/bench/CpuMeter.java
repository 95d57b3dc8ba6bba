package io.matchledger.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent while a load runs, read before and after it:
 * <ul>
 *   <li>the benchmark JVM's process CPU ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}, user +
 *       system, all threads): the service, H2 when it is the database (it runs inside the service), the projections,
 *       and the in-process load's own caller threads; for the HTTP load the client's CPU is in the client's JVM and
 *       not counted here;</li>
 *   <li>on a PostgreSQL server on this machine, the sum of utime + stime of every process named {@code postgres}
 *       ({@code /proc/[pid]/stat}): the backends serving the service's pool, and the WAL writer, checkpointer and
 *       others that its writes keep busy. Anything else using the same server (another test) is counted too; a
 *       process that exits between two readings takes its CPU with it.</li>
 * </ul>
 * Both count in clock ticks on Linux (the JVM reads its process CPU with {@code times()}): 10 ms at the usual
 * USER_HZ of 100, so a load is measured to within about 10 ms of CPU, which is noise for a load of a few matches
 * (--quick) and well under 1% for the default sizes.
 */
final class CpuMeter {

    /** One reading: process CPU in nanoseconds, PostgreSQL CPU in clock ticks (-1 when not read). */
    record Reading(long processNanos, long postgresTicks) {}

    private static final Path PROC = Path.of("/proc");

    private final boolean readPostgres;
    private final long ticksPerSecond;

    private CpuMeter(boolean readPostgres, long ticksPerSecond) {
        this.readPostgres = readPostgres;
        this.ticksPerSecond = ticksPerSecond;
    }

    /**
     * A meter for one database: it reads the PostgreSQL server's processes only when the server is on this machine
     * (a loopback URL) and its processes are to be seen in /proc.
     */
    static CpuMeter forDatabase(LedgerService.Database database) {
        boolean local = database.isPostgres()
                && (database.url().contains("//127.0.0.1")
                        || database.url().contains("//localhost")
                        || database.url().contains("//[::1]"));
        boolean visible = local && postgresTicks() > 0;
        return new CpuMeter(visible, visible ? clockTicks() : 100);
    }

    boolean readsPostgres() {
        return readPostgres;
    }

    Reading read() {
        return new Reading(processCpuNanos(), readPostgres ? postgresTicks() : -1);
    }

    /** Microseconds of process CPU per operation between two readings. */
    static double processUsPer(Reading from, Reading to, long operations) {
        return (to.processNanos() - from.processNanos()) / 1e3 / Math.max(1, operations);
    }

    /** Microseconds of PostgreSQL CPU per operation between two readings, or null if it was not read. */
    Double postgresUsPer(Reading from, Reading to, long operations) {
        if (from.postgresTicks() < 0 || to.postgresTicks() < 0) {
            return null;
        }
        return (to.postgresTicks() - from.postgresTicks()) * 1e6 / ticksPerSecond / Math.max(1, operations);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** utime + stime, in clock ticks, of every process whose name is postgres; 0 without /proc. */
    private static long postgresTicks() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(
                PROC, entry -> isPid(entry.getFileName().toString()))) {
            for (Path process : processes) {
                ticks += postgresTicks(process);
            }
        } catch (IOException | RuntimeException noProc) {
            return 0;
        }
        return ticks;
    }

    private static long postgresTicks(Path process) {
        String stat;
        try {
            stat = Files.readString(process.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        // pid (comm) state ppid ...: comm may hold spaces and parentheses, so it ends at the last ')'.
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || !stat.substring(open + 1, close).equals("postgres")) {
            return 0;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        if (fields.length < 13) {
            return 0;
        }
        try {
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (NumberFormatException odd) {
            return 0;
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int c = 0; c < name.length(); c++) {
            if (!Character.isDigit(name.charAt(c))) {
                return false;
            }
        }
        return true;
    }

    /** USER_HZ, which /proc/[pid]/stat counts in: {@code getconf CLK_TCK}, 100 on nearly every Linux. */
    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (getconf.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | RuntimeException unknown) {
            // Fall through.
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
