package io.matchledger.api.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerProcess;
import io.matchledger.api.LedgerProcess.Reply;
import io.matchledger.api.MatchClaim;
import io.matchledger.api.TestAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Three ledger processes share one PostgreSQL. A load client spreads matches over all three, sends identical and
 * conflicting retries to other processes than the original, and one process is killed with SIGKILL in the middle
 * and started again. At the end every acknowledged match counts exactly once, on both ledgers, and every process's
 * read model equals both the model of what was acknowledged and a recomputation from the stored events.
 * <p>
 * Needs a PostgreSQL database it may wipe: {@code LEDGER_IT_PG_URL}, {@code LEDGER_IT_PG_USER},
 * {@code LEDGER_IT_PG_PASSWORD} ({@code .ci/run} installs and starts one). Without them it is skipped, except in
 * CI, where a missing database is a failure.
 */
class ThreeProcessesOnPostgresIT {

    static final int PLAYERS = Integer.getInteger("scaleout.players", 200);
    static final int MATCHES = Integer.getInteger("scaleout.matches", 10_000);
    static final int THREADS = 16;
    static final int KILL_AFTER = MATCHES * 2 / 5;
    static final ObjectMapper JSON = new ObjectMapper();

    final List<LedgerProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (LedgerProcess process : processes) {
            process.stop();
        }
    }

    @Test
    void everyAcknowledgedMatchCountsOnceAcrossProcessesAndAKill() throws Exception {
        // The processes' logs stay beside the test reports, for whoever has to read what happened.
        Path logs = LedgerProcess.freshLogDir("scaleout-logs");
        String url = System.getenv("LEDGER_IT_PG_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(url).as("CI must provide LEDGER_IT_PG_URL (see .ci/run)").isNotBlank();
        }
        assumeThat(url).as("LEDGER_IT_PG_URL not set: no PostgreSQL to run three processes on").isNotBlank();
        String user = System.getenv().getOrDefault("LEDGER_IT_PG_USER", "ledger");
        String password = System.getenv().getOrDefault("LEDGER_IT_PG_PASSWORD", "");
        wipe(url, user, password);

        Path jar = LedgerProcess.copyOfPackagedJar(logs);
        List<String> args = new ArrayList<>(List.of("--spring.profiles.active=postgres",
                                                    "--spring.datasource.url=" + url,
                                                    "--spring.datasource.username=" + user,
                                                    "--spring.datasource.password=" + password,
                                                    "--logging.level.root=warn"));
        args.addAll(LedgerProcess.accounts(TestAccounts.ADMIN));
        for (int i = 1; i <= 3; i++) {
            processes.add(new LedgerProcess("ledger-" + i, jar, args, logs));
        }
        // The first creates the schema; the other two join it.
        processes.get(0).start().awaitHealthy(Duration.ofSeconds(120));
        processes.get(1).start();
        processes.get(2).start();
        processes.get(1).awaitHealthy(Duration.ofSeconds(120));
        processes.get(2).awaitHealthy(Duration.ofSeconds(120));

        List<String> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            players.add("sp-" + i);
            Reply reply = send(i % 3, "PUT", "/api/players/sp-" + i, "{\"name\":\"Scale " + i + "\"}");
            assertThat(reply.status()).as(reply.body()).isIn(200, 201);
        }

        // Work: each claim goes to a process; its retries go to the other two.
        Random random = new Random(7);
        record Work(MatchClaim claim, int process) {
        }
        ConcurrentLinkedQueue<Work> work = new ConcurrentLinkedQueue<>();
        int extra = 0;
        for (int i = 0; i < MATCHES; i++) {
            String a = players.get(random.nextInt(PLAYERS));
            String b = players.get(random.nextInt(PLAYERS));
            while (b.equals(a)) {
                b = players.get(random.nextInt(PLAYERS));
            }
            MatchClaim claim = new MatchClaim("sp-m" + i, a, b, random.nextInt(10) < 3);
            work.add(new Work(claim, i % 3));
            if (i % 10 == 0) {
                work.add(new Work(claim, (i + 1) % 3));
                extra++;
            }
            if (i % 20 == 0) {
                work.add(new Work(new MatchClaim(claim.matchId(), b, a, false), (i + 2) % 3));
                extra++;
            }
        }

        Map<String, List<Map.Entry<MatchClaim, Reply>>> answers = new ConcurrentHashMap<>();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failedOver = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
        Future<?> chaos = threads.submit(() -> {
            await().atMost(Duration.ofMinutes(5)).until(() -> acknowledged.get() >= KILL_AFTER);
            LedgerProcess victim = processes.get(1);
            victim.kill();
            System.out.printf("scale-out: killed %s with SIGKILL after %d acknowledged matches%n", victim.name(),
                              acknowledged.get());
            Thread.sleep(2_000);
            victim.start().awaitHealthy(Duration.ofSeconds(120));
            System.out.printf("scale-out: %s is back after %d acknowledged matches%n", victim.name(),
                              acknowledged.get());
            return null;
        });
        long started = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            clients.add(threads.submit(() -> {
                for (Work item = work.poll(); item != null; item = work.poll()) {
                    Reply reply = sendWithFailover(item.process(), item.claim(), failedOver);
                    answers.computeIfAbsent(item.claim().matchId(), k -> new ArrayList<>())
                           .add(Map.entry(item.claim(), reply));
                    if (reply.status() == 201) {
                        acknowledged.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        chaos.get(5, TimeUnit.MINUTES);
        threads.shutdown();

        // What was acknowledged: one content per match id, every other content refused.
        Map<String, Long> model = new HashMap<>();
        int conflicts = 0;
        int replays = 0;
        for (var entry : answers.entrySet()) {
            List<Map.Entry<MatchClaim, Reply>> sameId = entry.getValue();
            synchronized (sameId) {
                List<MatchClaim> accepted = sameId.stream().filter(a -> a.getValue().status() == 201)
                                             .map(Map.Entry::getKey).toList();
                List<MatchClaim> acceptedOrReplayed = sameId.stream()
                                                       .filter(a -> a.getValue().status() / 100 == 2)
                                                       .map(Map.Entry::getKey).distinct().toList();
                // A 201 may be lost with a killed process: then a retry elsewhere answers 200 for the same content.
                assertThat(accepted.size()).as("creations of %s: %s", entry.getKey(), sameId).isLessThanOrEqualTo(1);
                assertThat(acceptedOrReplayed).as("contents acknowledged for %s: %s", entry.getKey(), sameId)
                                              .hasSize(1);
                MatchClaim claim = acceptedOrReplayed.get(0);
                for (var attempt : sameId) {
                    if (attempt.getKey().equals(claim)) {
                        assertThat(attempt.getValue().status()).as("%s", attempt).isIn(200, 201);
                        replays += attempt.getValue().status() == 200 ? 1 : 0;
                    } else {
                        assertThat(attempt.getValue().status()).as("%s", attempt).isEqualTo(409);
                        conflicts++;
                    }
                }
                model.merge(claim.first(), (long) claim.pointsOf(claim.first()), Long::sum);
                model.merge(claim.second(), (long) claim.pointsOf(claim.second()), Long::sum);
            }
        }
        assertThat(answers).hasSize(MATCHES);

        // The stored events: each match settled once and on exactly two ledgers, and they re-sum to the model.
        Map<String, Long> fromEvents = new HashMap<>();
        try (Connection db = DriverManager.getConnection(url, user, password); Statement sql = db.createStatement()) {
            assertThat(single(sql, "select count(*) from domain_event_entry where payload_type like '%.MatchSettled'"))
                    .isEqualTo(MATCHES);
            assertThat(single(sql, """
                    select count(*) from (select convert_from(payload, 'UTF8')::json->>'matchId' as match_id
                                          from domain_event_entry where payload_type like '%.MatchRecorded'
                                          group by match_id having count(*) <> 2) as lopsided"""))
                    .as("matches on only one ledger, or on more than two").isZero();
            try (ResultSet rows = sql.executeQuery("""
                    select aggregate_identifier, convert_from(payload, 'UTF8') from domain_event_entry
                    where payload_type like '%.MatchRecorded' or payload_type like '%.PointsAdjusted'""")) {
                while (rows.next()) {
                    fromEvents.merge(rows.getString(1), JSON.readTree(rows.getString(2)).get("points").asLong(),
                                     Long::sum);
                }
            }
        }
        assertThat(fromEvents).isEqualTo(model);

        // Every process shows the model once the projections have caught up.
        for (int p = 0; p < 3; p++) {
            int process = p;
            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                for (String player : players) {
                    Reply reply = sendOrFail(process, "GET", "/api/players/" + player);
                    assertThat(reply.status()).isEqualTo(200);
                    assertThat(JSON.readTree(reply.body()).get("points").asLong()).as(player + " on ledger-"
                                                                                              + (process + 1))
                                                                             .isEqualTo(model.getOrDefault(player, 0L));
                }
            });
        }
        System.out.printf("scale-out: %d requests (%d matches, %d retries and conflicts) from %d threads over 3 "
                                  + "processes in %.1f s = %.0f requests/s; %d identical retries answered 200, %d "
                                  + "conflicts refused, %d requests failed over to another process; %d matches "
                                  + "settled once, on two ledgers each; totals equal model and events on all 3%n",
                          MATCHES + extra, MATCHES, extra, THREADS, seconds, (MATCHES + extra) / seconds, replays,
                          conflicts, failedOver.get(), MATCHES);
        // Memory under this load, for the record (ledger-2's peak counts from its restart).
        for (LedgerProcess process : processes) {
            System.out.printf("scale-out: %s peak RSS %d MB%n", process.name(), process.peakRssMb());
        }
    }

    /** A game server's retry: a process that does not answer is replaced by the next; the match id keeps it safe. */
    Reply sendWithFailover(int first, MatchClaim claim, AtomicInteger failedOver) throws InterruptedException {
        for (int attempt = 0; attempt < 30; attempt++) {
            int process = (first + attempt) % 3;
            try {
                Reply reply = send(process, "POST", "/api/matches", claim.json());
                if (reply.status() < 500) {
                    return reply;
                }
            } catch (IOException down) {
                // refused, reset or cut off mid-request: the outcome is unknown, so retry the same claim elsewhere
            }
            failedOver.incrementAndGet();
            Thread.sleep(50);
        }
        throw new IllegalStateException("no process answered for " + claim);
    }

    Reply send(int process, String method, String path, String body) throws IOException, InterruptedException {
        return processes.get(process).send(method, path, body, TestAccounts.ADMIN);
    }

    /** For polling: a process that does not answer yet is an unmet condition, not the end of the test. */
    Reply sendOrFail(int process, String method, String path) throws InterruptedException {
        try {
            return send(process, method, path, null);
        } catch (IOException notAnswering) {
            throw new AssertionError("ledger-" + (process + 1) + " does not answer " + path, notAnswering);
        }
    }

    static long single(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    static void wipe(String url, String user, String password) throws Exception {
        try (Connection db = DriverManager.getConnection(url, user, password); Statement sql = db.createStatement()) {
            sql.execute("drop schema if exists public cascade");
            sql.execute("create schema public");
        }
    }
}
