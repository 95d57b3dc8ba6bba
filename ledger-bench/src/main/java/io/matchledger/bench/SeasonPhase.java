package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.requireNoErrors;
import static io.matchledger.bench.ServiceUnderTest.seconds;

import io.matchledger.bench.BenchReport.Seasons;
import io.matchledger.core.api.DefineSeasonsCommand;
import io.matchledger.core.api.EndSeasonCommand;
import io.matchledger.core.api.SeasonWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a running season costs: the in-process load in turns with and without a season ({@link #cpu}, right after
 * phase 1), and the reads within a season holding every seeded match ({@link #reads}, at the end).
 */
final class SeasonPhase {

    /**
     * The season turns' order: no season (A) and a season running (B), ABBA twice, so a steady drift of the shared
     * machine falls on both alike (the mean position of either is 3.5).
     */
    static final String SEASON_TURNS = "ABBABAAB";

    /**
     * Under {@code --quick}, one turn of each and no warm-up turn: the same code, measured once each. Every turn with a
     * season waits for its seal (the append bound, 5 s, after its end), which made the seasons the longest part of
     * CI's quick run.
     */
    static final String QUICK_TURNS = "AB";

    /** What {@link #cpu} measured: the loads of either kind, and their threads' CPU per match. */
    record SeasonCpu(
            String turns,
            List<LoadResult> without,
            List<LoadResult> with,
            Map<String, Double> threadsWithout,
            Map<String, Double> threadsWith) {}

    private record SeasonTurn(LoadResult load, Map<String, Double> threads) {}

    private final ServiceUnderTest sut;

    SeasonPhase(ServiceUnderTest sut) {
        this.sut = sut;
    }

    /**
     * The in-process load at the most clients, in the turns of {@link #SEASON_TURNS}, after a shorter unmeasured turn
     * with a season running, so that its code is compiled before either is measured ({@link #QUICK_TURNS} and no
     * warm-up under {@code --quick}). A season is defined from now
     * for a B turn and ended early after its load; the next turn waits for its seal, so that no turn pays for an
     * earlier one's.
     */
    SeasonCpu cpu() throws Exception {
        BenchSettings settings = sut.settings;
        int clients = settings.mostClients();
        // Ids as short as a schedule's ("weekly-12"): every index entry of a season's rows carries its id, and ids
        // with the run's timestamp in them (27 characters) measured longer rows than a real season has.
        String turns = settings.quick() ? QUICK_TURNS : SEASON_TURNS;
        if (!settings.quick()) {
            withSeason(
                    "week-0",
                    () -> turn("season running (warm-up)", clients, Math.max(100, settings.matches() / 5), "sw-"));
        }
        List<LoadResult> without = new ArrayList<>();
        List<LoadResult> with = new ArrayList<>();
        List<Map<String, Double>> threadsWithout = new ArrayList<>();
        List<Map<String, Double>> threadsWith = new ArrayList<>();
        for (int turn = 0; turn < turns.length(); turn++) {
            String prefix = "s" + turn + "-";
            if (turns.charAt(turn) == 'A') {
                SeasonTurn measured = turn("no season", clients, settings.matches(), prefix);
                without.add(measured.load());
                threadsWithout.add(measured.threads());
            } else {
                SeasonTurn measured = withSeason(
                        "week-" + (turn + 1), () -> turn("season running", clients, settings.matches(), prefix));
                with.add(measured.load());
                threadsWith.add(measured.threads());
            }
        }
        return new SeasonCpu(turns, without, with, ThreadCpu.mean(threadsWithout), ThreadCpu.mean(threadsWith));
    }

    /** Runs {@code turn} in a season defined from now, then ends the season and waits for its seal. */
    private SeasonTurn withSeason(String seasonId, Callable<SeasonTurn> turn) throws Exception {
        Instant start = Instant.now();
        sut.commands()
                .sendAndWait(new DefineSeasonsCommand(List.of(new SeasonWindow(
                        seasonId, "Bench " + seasonId, start, start.plus(Duration.ofDays(7)), Duration.ZERO))));
        SeasonTurn measured = turn.call();
        sut.commands().sendAndWait(new EndSeasonCommand(seasonId, "the benchmark's turn is over"));
        long waiting = System.nanoTime();
        // The sealer seals a season once its close is older than the store's commit grace (10 s by default).
        while (sut.count("select count(*) from season where season_id = '" + seasonId + "' and sealed_at is not null")
                == 0) {
            if (seconds(waiting) > 120) {
                throw new IllegalStateException("season " + seasonId + " was not sealed within 120 s of its end");
            }
            Thread.sleep(250);
        }
        return measured;
    }

    private SeasonTurn turn(String label, int clients, int matches, String prefix) throws Exception {
        sut.awaitProjections();
        CpuMeter.Reading before = sut.cpu.read();
        ThreadCpu.Reading threadsBefore = ThreadCpu.read();
        LoadResult load = ClosedLoad.run(clients, matches, i -> sut.recordMatch(prefix + i, i));
        CpuSpan span = sut.untilHead(before);
        Map<String, Double> threads = ThreadCpu.usPer(threadsBefore, ThreadCpu.read(), load.operations());
        load = load.withCpu(span.cost(sut.cpu, load));
        sut.progress.step(sut.name, "seasons, in-process, " + label + ", " + load.describe("matches"), load.seconds());
        return new SeasonTurn(load, threads);
    }

    /**
     * A season holding every seeded match (defined now, from {@code seededFrom}, before the seeding: its matches are
     * placed when the definition is processed), then the reads of {@link ReadPhase} and the around-me page within it.
     */
    Seasons reads(SeasonCpu cpuTurns, Instant seededFrom, ReadPhase readPhase) throws Exception {
        long started = System.nanoTime();
        String seasonId = "all-seeded";
        Instant end = Instant.now().plus(Duration.ofDays(30));
        sut.commands()
                .sendAndWait(new DefineSeasonsCommand(
                        List.of(new SeasonWindow(seasonId, "Bench reads", seededFrom, end, Duration.ZERO))));
        sut.awaitProjections();
        HttpLoadClient.Read read = readPhase.read("--season=" + seasonId);
        requireNoErrors("the season's leaderboard reads", read.leaderboard());
        requireNoErrors("the season's player reads", read.player());
        requireNoErrors("the season's around-me reads", read.around());
        double without = meanCpu(cpuTurns.without());
        double with = meanCpu(cpuTurns.with());
        // The seeded players who played a seeded match; all of them at the default --replay-events.
        int inSeason = (int) sut.count("select count(*) from season_standing where season_id = '" + seasonId + "'");
        sut.progress.step(
                sut.name,
                String.format(
                        Locale.ROOT,
                        "season reads with %,d players in the season: leaderboard p99 %.2f ms, player p99 %.2f ms, "
                                + "around p99 %.2f ms; CPU per match with a season running %.2fx (%.0f vs %.0f us)",
                        inSeason,
                        read.leaderboard().latency().p99Ms(),
                        read.player().latency().p99Ms(),
                        read.around().latency().p99Ms(),
                        with / without,
                        with,
                        without),
                seconds(started));
        return new Seasons(
                cpuTurns.turns(),
                cpuTurns.without(),
                cpuTurns.with(),
                with / without,
                cpuTurns.threadsWithout(),
                cpuTurns.threadsWith(),
                inSeason,
                read.leaderboard(),
                read.player(),
                read.around());
    }

    private static double meanCpu(List<LoadResult> loads) {
        return loads.stream()
                .mapToDouble(load -> load.cpu().processUsPerMatch()
                        + (load.cpu().postgresUsPerMatch() == null
                                ? 0
                                : load.cpu().postgresUsPerMatch()))
                .average()
                .orElse(Double.NaN);
    }
}
