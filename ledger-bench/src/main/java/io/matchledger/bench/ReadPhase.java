package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.requireNoErrors;
import static io.matchledger.bench.ServiceUnderTest.seconds;

import io.matchledger.bench.BenchReport.Reads;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Phase 6, the reads: the leaderboard's first page and a player's standing, over HTTP from a client JVM. */
final class ReadPhase {

    private final ServiceUnderTest sut;

    ReadPhase(ServiceUnderTest sut) {
        this.sut = sut;
    }

    Reads run() throws Exception {
        long started = System.nanoTime();
        HttpLoadClient.Read read = read();
        requireNoErrors("the leaderboard reads", read.leaderboard());
        requireNoErrors("the player reads", read.player());
        sut.progress.step(
                sut.name,
                String.format(
                        Locale.ROOT,
                        "reads with %,d players: leaderboard p50 %.2f / p99 %.2f ms; player p50 %.2f / p99 %.2f "
                                + "ms",
                        sut.settings.readPlayers(),
                        read.leaderboard().latency().p50Ms(),
                        read.leaderboard().latency().p99Ms(),
                        read.player().latency().p50Ms(),
                        read.player().latency().p99Ms()),
                seconds(started));
        return new Reads(sut.settings.readPlayers(), read.leaderboard(), read.player());
    }

    /** The client's read mode on the seeded players {@code p-*}, with {@code more} options after the common ones. */
    HttpLoadClient.Read read(String... more) throws Exception {
        BenchSettings settings = sut.settings;
        List<String> options = new ArrayList<>(List.of(
                "--clients=1",
                "--requests=" + settings.reads(),
                "--warmup=" + Math.max(10, settings.reads() / 10),
                "--prefix=p-",
                "--players=" + settings.readPlayers()));
        options.addAll(List.of(more));
        return sut.client(HttpLoadClient.Read.class, "read", null, null, options.toArray(String[]::new));
    }
}
