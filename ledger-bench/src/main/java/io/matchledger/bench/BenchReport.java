package io.matchledger.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.matchledger.bench.Latencies.LatencySummary;
import java.util.List;
import java.util.Map;

/**
 * Everything one run measured, as written to {@code benchmark-<timestamp>.json}. Rates are per second, latencies in
 * milliseconds, sizes in bytes, memory in MiB.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BenchReport(
        String startedAt,
        String finishedAt,
        boolean smoke,
        Machine machine,
        BenchSettings settings,
        List<DatabaseReport> databases) {

    record Machine(int cores, String java, String os, double heapMaxMb, List<String> jvmArguments) {}

    /** One database's numbers; {@code status} is measured, skipped (with the reason) or failed (with the error). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DatabaseReport(
            String database,
            String status,
            String reason,
            Double startupSeconds,
            Ledger ledger,
            BaselineLoads baselines,
            List<Ratios> ratios,
            Replay replay,
            List<History> history,
            Lag lag,
            Reads reads,
            Seasons seasons,
            Memory memory,
            OpenLoopRates openLoop,
            HttpBaselines httpBaselines,
            Processes processes,
            List<Target> targets) {

        static DatabaseReport skipped(String database, String reason) {
            return new DatabaseReport(
                    database, "skipped", reason, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null);
        }

        static DatabaseReport failed(String database, String error) {
            return new DatabaseReport(
                    database, "failed", error, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null);
        }

        boolean measured() {
            return "measured".equals(status);
        }

        /** This report with its targets, which {@link Targets#evaluate} reads from the report itself. */
        DatabaseReport withTargets(List<Target> evaluated) {
            return new DatabaseReport(
                    database,
                    status,
                    reason,
                    startupSeconds,
                    ledger,
                    baselines,
                    ratios,
                    replay,
                    history,
                    lag,
                    reads,
                    seasons,
                    memory,
                    openLoop,
                    httpBaselines,
                    processes,
                    evaluated);
        }

        /** This report with the two-process phase's results (null: not run). */
        DatabaseReport withProcesses(Processes measured) {
            return new DatabaseReport(
                    database,
                    status,
                    reason,
                    startupSeconds,
                    ledger,
                    baselines,
                    ratios,
                    replay,
                    history,
                    lag,
                    reads,
                    seasons,
                    memory,
                    openLoop,
                    httpBaselines,
                    measured,
                    targets);
        }
    }

    /**
     * Matches recorded per second: through the group commit in the service's JVM (as the web records them), and over
     * HTTP from another, one match per request and {@code httpBatchSize} per request (POST /api/matches/batch).
     * {@code idleCpuCores}: the benchmark JVM's process CPU per second of wall time with no load and the projections
     * at the head, measured after the warm-up: what a load's CPU per match holds besides the matches' own work, per
     * second it lasts (most at 1 client, where a load lasts longest).
     */
    record Ledger(
            int players,
            List<LoadResult> inProcess,
            List<LoadResult> http,
            int httpBatchSize,
            List<LoadResult> httpBatches,
            double idleCpuCores) {}

    /**
     * The same matches on the same database without the ledger (see {@link io.matchledger.bench.Baselines}), with the
     * average size of the ledger's stored match events, which the raw append writes.
     */
    record BaselineLoads(
            int payloadBytes,
            int metadataBytes,
            String payloadColumnType,
            List<LoadResult> atomicUpdates,
            List<LoadResult> matchWithUpdates,
            List<LoadResult> rawAppend,
            List<LoadResult> crudLedger) {}

    /** The ledger's rate divided by a baseline's, at the same number of clients. */
    record Ratios(
            int clients,
            double inProcessVsAtomicUpdates,
            double inProcessVsMatchWithUpdates,
            double inProcessVsRawAppend,
            double inProcessVsCrudLedger,
            double httpVsRawAppend,
            double httpVsCrudLedger) {}

    /**
     * Seeding the store, then rebuilding each projection from its first event to the head, as the rebuild endpoint
     * does: {@code seconds} from the request until the rebuilt standings were in place, of which
     * {@code firstBatchSeconds} until the rebuild reported its first progress; {@code otherProjectionsCatchUpSeconds}
     * the same for the matches and the history together; {@code rebuildEventsPerSecond} each projection's rate.
     */
    record Replay(
            long events,
            double seedSeconds,
            double seedEventsPerSecond,
            double firstBatchSeconds,
            double seconds,
            double eventsPerSecond,
            double otherProjectionsCatchUpSeconds,
            Map<String, Double> rebuildEventsPerSecond) {}

    /**
     * Recording a match for a player with {@code earlierMatches} matches: the very first (their ledger never loaded
     * and no snapshot), then with the ledger in memory, then with every ledger evicted before each match.
     */
    record History(int earlierMatches, double firstMs, LatencySummary inMemory, LatencySummary evicted) {}

    /** Time from a match's acknowledgement until the standings read model shows it, under a rate-limited load. */
    record Lag(
            double targetRate,
            double achievedRate,
            long matches,
            long errors,
            long unseen,
            LatencySummary commands,
            LatencySummary lag) {}

    record Reads(int players, LoadResult leaderboard, LoadResult player) {}

    /**
     * Seasons (issue 15). {@code withoutSeason} and {@code withSeason}: the in-process load at the most clients, in
     * turns, with no season running (A) and with one running (B: every match then counts in it too), in the order
     * {@code turns}; {@code cpuRatio} the mean CPU per match of the second over the first; {@code threadsWithout} and
     * {@code threadsWith} the mean CPU per match of the JVM's thread groups in either (microseconds; GC and JIT
     * threads are not among them), to show where a difference comes from. {@code reads}: the reads of {@link Reads}
     * within a season holding every seeded match, {@code around} the season's around-me page; {@code players} the
     * season's players (those of the {@code --read-players} who played a seeded match).
     */
    record Seasons(
            String turns,
            List<LoadResult> withoutSeason,
            List<LoadResult> withSeason,
            double cpuRatio,
            Map<String, Double> threadsWithout,
            Map<String, Double> threadsWith,
            int players,
            LoadResult leaderboard,
            LoadResult player,
            LoadResult around) {}

    /** The benchmark JVM's peak resident set while it ran this database, the service and its load inside it. */
    record Memory(double rssPeakMb, double rssAtEndMb, double heapMaxMb, double heapPeakUsedMb, String measuredAs) {}

    /** A target of issue 7 next to what was measured: PASS, MISS, or n/a when it does not apply here. */
    record Target(String measure, String value, String target, String verdict) {}

    /**
     * The open-loop rate phase (issue 25): for the ledger in-process (the group commit) and for baseline (d), the
     * highest rate held for {@code windowSeconds} with command p99 under {@code commandP99LimitMs} (the ledger also
     * with read-model lag p99 under {@code lagP99LimitMs}), found by probes of {@code probeSeconds} and confirmed over
     * the whole window. {@code ledgerVsCrud}: the ledger's held rate / (d)'s, 0 when either held none.
     */
    record OpenLoopRates(
            double windowSeconds,
            double probeSeconds,
            int senders,
            double commandP99LimitMs,
            double lagP99LimitMs,
            RateSide ledger,
            RateSide crudLedger,
            double ledgerVsCrud) {}

    /** One side's search: where it started, every probe in order, and the confirmed rate (0 if none held). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RateSide(double startRate, double heldRate, Probe held, List<Probe> probes) {}

    /** One open load at one rate; {@code confirmation}: a run over the whole window. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Probe(boolean confirmation, boolean held, String why, OpenLoop.Run run, LoadResult.Cpu cpu) {}

    /**
     * Baseline (e), (d)'s transaction behind a minimal Spring MVC endpoint (same HTTP Basic, validation and JSON), and
     * the HTTP ceiling, {@code GET /actuator/health} of the service, both loaded by the same client JVM as the
     * ledger's HTTP loads; {@code ratios} at each of their numbers of clients.
     */
    record HttpBaselines(List<LoadResult> crudOverHttp, List<LoadResult> health, List<HttpRatio> ratios) {}

    /** Rates at one number of clients (the ledger's from its HTTP single-request load of phase 1) and their ratios. */
    record HttpRatio(
            int clients,
            double ledgerHttp,
            double crudOverHttp,
            double health,
            double ledgerVsCrudOverHttp,
            double ledgerVsHealth,
            double crudOverHttpVsHealth) {}

    /**
     * Issue 25's scale-out (PostgreSQL, {@link ProcessesPhase}): one packaged ledger process, then two, on one
     * database with {@code segments} read-model segments, loaded by {@code clients} HTTP clients; the pair's rates over
     * the single process's.
     */
    record Processes(
            String jar,
            int segments,
            int clients,
            List<ProcessesLoad> loads,
            double matchesPairOverOne,
            double readSidePairOverOne,
            String note) {}

    /**
     * One load on {@code processes} processes.
     *
     * @param retries                 503s retried (contention between the processes, or overload)
     * @param events                  events the load appended; {@code eventsPerMatch} of them per match
     * @param readSideSeconds         from the load's start until every acknowledged match was in the read models
     * @param appliedEventsPerSecond  the load's events over readSideSeconds: the read side's rate at this load
     * @param backlogMatches          matches acknowledged but not yet in the read models at the load's last answer
     * @param drainEventsPerSecond    that backlog's events over the time they took to apply (null: no backlog)
     * @param segments                the read models' segments each process held after the load
     * @param processUsPerMatch       each process's CPU (utime + stime) from the load's start to the read side's
     * @param postgresUsPerMatch      every postgres process's CPU over the same span (the whole server's)
     * @param clientUsPerMatch        the benchmark JVM's (the HTTP client's) CPU over the same span
     * @param walBytesPerMatch        WAL written (the whole server's), less the rest's rate over the pause after
     * @param transactionsPerMatch    this database's commits and rollbacks, likewise
     * @param rowsWrittenPerMatch     rows inserted, updated and deleted in the schema's tables, likewise
     * @param indexScansPerMatch      index scans on the schema's tables, likewise
     * @param otherTransactions       the other databases' transactions over the load: when not 0, others wrote WAL
     * @param restCores               the processes' CPU at rest, in cores
     * @param restTransactionsPerSecond this database's transactions per second at rest
     * @param restWalBytesPerSecond   WAL bytes per second at rest (the whole server's)
     * @param loadAverage             the machine's load averages before and after the load
     */
    record ProcessesLoad(
            int processes,
            LoadResult load,
            long retries,
            long events,
            double eventsPerMatch,
            double readSideSeconds,
            double appliedEventsPerSecond,
            long backlogMatches,
            Double drainEventsPerSecond,
            Map<String, List<Integer>> segments,
            Map<String, Double> processUsPerMatch,
            Double postgresUsPerMatch,
            double clientUsPerMatch,
            double walBytesPerMatch,
            double transactionsPerMatch,
            double rowsWrittenPerMatch,
            double indexScansPerMatch,
            long otherTransactions,
            double restCores,
            double restTransactionsPerSecond,
            double restWalBytesPerSecond,
            String loadAverage) {}
}
