package io.matchledger.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run measures and how much of it. The defaults are the sizes; {@code --quick} shrinks all of them
 * so that the harness itself can be tested in seconds (its numbers then say nothing about the ledger).
 *
 * @param databases      which databases to try, in order: {@code h2}, {@code postgresql} (the latter only runs when
 *                       LEDGER_BENCH_PG_URL, _USER and _PASSWORD are set)
 * @param players        the pool of players the throughput matches are drawn from
 * @param matches        matches per load, for each number of clients
 * @param warmup         matches sent before the first measured load, to let the JIT and the caches settle
 * @param clients        the numbers of concurrent clients
 * @param replayEvents   at least this many events are in the store when the standings are rebuilt
 * @param readPlayers    players registered for the reads (and the leaderboard's size)
 * @param historySizes   earlier matches of the players whose next match is timed
 * @param historyCommands matches timed per history size with the player's ledger in memory
 * @param historyCold    matches timed per history size with every ledger evicted from memory first
 * @param lagSeconds     how long the rate-limited load for the lag runs
 * @param lagLoad        its rate, as a fraction of the highest in-process rate measured
 * @param rateSeconds    the window the open-loop rate phase must hold a rate for (its probes last a quarter of it)
 * @param reads          requests timed per kind of read
 * @param seedBatch      events per transaction when seeding
 * @param outputDir      where benchmark-*.json goes; by default the module's target/
 * @param keepData       keep the H2 files and the PostgreSQL schema after the run
 */
record BenchSettings(
        boolean quick,
        List<String> databases,
        int players,
        int matches,
        int warmup,
        List<Integer> clients,
        long replayEvents,
        int readPlayers,
        List<Integer> historySizes,
        int historyCommands,
        int historyCold,
        double lagSeconds,
        double lagLoad,
        double rateSeconds,
        int reads,
        int seedBatch,
        Path outputDir,
        boolean keepData) {

    static final String USAGE = """
            usage: java -jar ledger-bench/target/ledger-bench.jar [options]
              --quick                   tiny sizes: tests the harness in seconds; the numbers mean nothing
              --databases=h2,postgresql which databases (postgresql needs LEDGER_BENCH_PG_URL/_USER/_PASSWORD)
              --players=1000            pool of players for the throughput matches
              --matches=5000            matches per load, per number of clients
              --warmup=1000             matches before the first measured load
              --clients=1,8,32          numbers of concurrent clients
              --replay-events=1000000   events in the store when the standings are rebuilt (at least)
              --read-players=100000     players registered for the read latencies
              --history=0,10000,100000  earlier matches of the players whose next match is timed
              --history-commands=200    matches timed per history size (ledger in memory)
              --history-cold=20         matches timed per history size (ledgers evicted first)
              --lag-seconds=20          duration of the rate-limited load for the lag
              --lag-load=0.8            its rate, as a fraction of the best in-process rate
              --rate-seconds=60         window the open-loop rate phase must hold a rate for
              --reads=2000              requests timed per kind of read
              --seed-batch=5000         events per transaction when seeding
              --output-dir=DIR          where benchmark-<timestamp>.json goes (default: ledger-bench/target)
              --keep-data               keep the H2 files and the PostgreSQL schema afterwards
              --rebuild-only            only the seeding and the rebuilds (phases 3 and 4), figures printed
            """;

    static BenchSettings parse(String[] args, Path defaultOutputDir) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
            }
            int equals = arg.indexOf('=');
            options.put(
                    equals < 0 ? arg.substring(2) : arg.substring(2, equals),
                    equals < 0 ? "true" : arg.substring(equals + 1));
        }
        boolean quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
        BenchSettings settings = new BenchSettings(
                quick,
                strings(options.remove("databases"), "h2,postgresql"),
                integer(options.remove("players"), quick ? 64 : 1_000),
                integer(options.remove("matches"), quick ? 40 : 5_000),
                integer(options.remove("warmup"), quick ? 10 : 1_000),
                integers(options.remove("clients"), "1,8,32"),
                Long.parseLong(options.getOrDefault("replay-events", quick ? "3000" : "1000000")),
                integer(options.remove("read-players"), quick ? 300 : 100_000),
                integers(options.remove("history"), quick ? "0,100,1000" : "0,10000,100000"),
                integer(options.remove("history-commands"), quick ? 10 : 200),
                integer(options.remove("history-cold"), quick ? 3 : 20),
                Double.parseDouble(options.getOrDefault("lag-seconds", quick ? "2" : "20")),
                Double.parseDouble(options.getOrDefault("lag-load", "0.8")),
                Double.parseDouble(options.getOrDefault("rate-seconds", quick ? "3" : "60")),
                integer(options.remove("reads"), quick ? 40 : 2_000),
                integer(options.remove("seed-batch"), 5_000),
                options.containsKey("output-dir") ? Path.of(options.get("output-dir")) : defaultOutputDir,
                Boolean.parseBoolean(options.getOrDefault("keep-data", "false")));
        for (String known : List.of(
                "quick", "replay-events", "lag-seconds", "lag-load", "rate-seconds", "output-dir", "keep-data")) {
            options.remove(known);
        }
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + options.keySet() + "\n" + USAGE);
        }
        if (settings.players() < 2 || settings.readPlayers() < 2) {
            throw new IllegalArgumentException("--players and --read-players need at least 2");
        }
        return settings;
    }

    int mostClients() {
        return clients.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static int integer(String value, int otherwise) {
        return value == null ? otherwise : Integer.parseInt(value.replace("_", ""));
    }

    private static List<Integer> integers(String value, String otherwise) {
        return strings(value, otherwise).stream()
                .map(s -> Integer.parseInt(s.replace("_", "")))
                .toList();
    }

    private static List<String> strings(String value, String otherwise) {
        return Arrays.stream((value == null ? otherwise : value).split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
