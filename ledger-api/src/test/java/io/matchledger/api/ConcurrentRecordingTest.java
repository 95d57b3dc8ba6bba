package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Many game servers at once, over real HTTP, with retries racing their originals. Whatever interleaving the threads
 * take, the final totals must equal a model built only from what the service acknowledged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ConcurrentRecordingTest {

    static final int PLAYERS = 24;
    static final int MATCHES = 5_000;
    static final int THREADS = 16;

    @LocalServerPort
    int port;

    record Attempt(MatchClaim claim, int status, String body) {}

    @Test
    void finalTotalsEqualTheModelOfAcknowledgedMatches() throws Exception {
        LedgerClient client = new LedgerClient(port);
        List<String> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            players.add("racer-" + i);
            assertThat(client.registerPlayer("racer-" + i, "Racer " + i).status())
                    .isEqualTo(201);
        }

        // Work queue: retries sit right behind their original, so two threads take them at nearly the same time.
        Random random = new Random(42);
        ConcurrentLinkedQueue<MatchClaim> work = new ConcurrentLinkedQueue<>();
        int retries = 0;
        int conflicts = 0;
        for (int i = 0; i < MATCHES; i++) {
            String first = players.get(random.nextInt(PLAYERS));
            String second = players.get(random.nextInt(PLAYERS));
            while (second.equals(first)) {
                second = players.get(random.nextInt(PLAYERS));
            }
            MatchClaim claim = new MatchClaim("race-" + i, first, second, random.nextInt(10) < 3);
            work.add(claim);
            if (i % 10 == 0) {
                work.add(claim);
                retries++;
            }
            if (i % 20 == 0) {
                work.add(new MatchClaim(claim.matchId(), second, first, false)); // the other player won: a conflict
                conflicts++;
            }
        }

        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            running.add(threads.submit(() -> {
                LedgerClient own = new LedgerClient(port);
                for (MatchClaim claim = work.poll(); claim != null; claim = work.poll()) {
                    Reply reply = own.post("/api/matches", claim.json());
                    attempts.add(new Attempt(claim, reply.status(), reply.body()));
                }
            }));
        }
        for (Future<?> thread : running) {
            thread.get(5, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        threads.shutdown();

        // Per match id: exactly one content was accepted (201 once), identical attempts got 200, others 409.
        Map<String, List<Attempt>> byMatch = new HashMap<>();
        attempts.forEach(a -> byMatch.computeIfAbsent(a.claim().matchId(), k -> new ArrayList<>())
                .add(a));
        assertThat(byMatch).hasSize(MATCHES);
        Map<String, Long> model = new HashMap<>();
        Map<String, Long> highestReportedTotal = new HashMap<>();
        int identicalRetriesAnswered = 0;
        int conflictsRefused = 0;
        for (List<Attempt> sameId : byMatch.values()) {
            List<Attempt> created =
                    sameId.stream().filter(a -> a.status() == 201).toList();
            assertThat(created)
                    .as("one creation for %s: %s", sameId.get(0).claim().matchId(), sameId)
                    .hasSize(1);
            MatchClaim accepted = created.get(0).claim();
            for (Attempt attempt : sameId) {
                if (attempt.claim().equals(accepted)) {
                    assertThat(attempt.status()).as("%s", attempt).isIn(200, 201);
                    identicalRetriesAnswered += attempt.status() == 200 ? 1 : 0;
                } else {
                    assertThat(attempt.status()).as("conflicting %s", attempt).isEqualTo(409);
                    conflictsRefused++;
                }
            }
            for (String player : List.of(accepted.first(), accepted.second())) {
                model.merge(player, (long) accepted.pointsOf(player), Long::sum);
            }
            for (JsonNode share :
                    new Reply(201, "", created.get(0).body()).json().get("players")) {
                highestReportedTotal.merge(
                        share.get("playerId").asText(), share.get("total").asLong(), Math::max);
            }
        }
        // Which of two conflicting claims wins is the race's choice; every extra attempt got 200 or 409 either way.
        assertThat(attempts).hasSize(MATCHES + retries + conflicts);
        assertThat(identicalRetriesAnswered + conflictsRefused).isEqualTo(retries + conflicts);
        assertThat(conflictsRefused).isGreaterThanOrEqualTo(conflicts);
        // The totals the service reported right after each match end where the model ends.
        assertThat(highestReportedTotal).isEqualTo(model);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String player : players) {
                assertThat(client.pointsOf(player)).as(player).isEqualTo(model.getOrDefault(player, 0L));
            }
        });
        System.out.printf(
                "concurrency: %d requests (%d matches, %d identical retries, %d conflicts) from %d threads"
                        + " in %.2f s = %.0f requests/s, %.0f matches/s%n",
                attempts.size(),
                MATCHES,
                retries,
                conflicts,
                THREADS,
                seconds,
                attempts.size() / seconds,
                MATCHES / seconds);
    }
}
