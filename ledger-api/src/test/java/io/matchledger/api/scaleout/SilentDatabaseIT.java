package io.matchledger.api.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerProcess;
import io.matchledger.api.LedgerProcess.Reply;
import io.matchledger.api.MatchClaim;
import io.matchledger.api.SilentProxy;
import io.matchledger.api.TestAccounts;
import java.io.IOException;
import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL falls silent under two ledger processes: a TCP proxy between them and the database ({@link SilentProxy})
 * stops forwarding, with every connection left open, as a network partition does, and forwards again some seconds
 * later. Meanwhile game servers keep sending matches, an operator voiding some, dashboards reading and a load balancer
 * asking for health. While
 * it is silent every request must answer within the README's bounds, matches and reads 503 with {@code Retry-After},
 * health DOWN, nothing 500; afterwards writes answer 201 again without a restart, every match that was acknowledged
 * (its retries with the same id included) is in both processes' read models, and their totals equal the model: the
 * projections resumed by themselves.
 * <p>
 * Needs a PostgreSQL database it may wipe ({@code LEDGER_IT_PG_URL}, {@code LEDGER_IT_PG_USER},
 * {@code LEDGER_IT_PG_PASSWORD}); without one it is skipped, except in CI, where that is a failure.
 */
class SilentDatabaseIT {

    static final int PLAYERS = 20;
    static final int CLIENTS = 6;
    /** Longer than every timeout of ledger.database and the group commit, so that each of them is met. */
    static final Duration SILENCE = Duration.ofSeconds(Integer.getInteger("silent.seconds", 14));
    /**
     * The README's bounds while the database does not answer: a request (a match, a void, a read) answers within 5 s
     * (ledger.group-commit.timeout, ledger.commands.timeout, ledger.database.socket-timeout), the health check within
     * 2 s (ledger.database.health-timeout). The test allows a second more, for JVMs on a machine busy with others.
     */
    static final Duration REQUEST_BOUND = Duration.ofSeconds(5 + 1);

    static final Duration HEALTH_BOUND = Duration.ofSeconds(2 + 1);
    static final Duration STARTUP = Duration.ofSeconds(Integer.getInteger("scaleout.startup-seconds", 300));
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request and its answer: when it was sent, how long it took, what came back. */
    record Exchange(
            String what, int process, long sentNanos, long tookNanos, int status, String body, String retryAfter) {

        double seconds() {
            return tookNanos / 1e9;
        }

        @Override
        public String toString() {
            return what + " on ledger-" + (process + 1) + ": " + status + " after " + String.format("%.2f", seconds())
                    + " s " + (body == null ? "" : body.substring(0, Math.min(200, body.length())));
        }
    }

    final List<LedgerProcess> processes = new ArrayList<>();
    final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    SilentProxy proxy;

    @AfterEach
    void stopAll() throws Exception {
        for (LedgerProcess process : processes) {
            process.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aSilentDatabaseIsAnOutageTheServiceReportsInTimeAndRecoversFrom() throws Exception {
        Path logs = LedgerProcess.freshLogDir("silent-database-logs");
        String url = System.getenv("LEDGER_IT_PG_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(url).as("CI must provide LEDGER_IT_PG_URL (see .ci/run)").isNotBlank();
        }
        assumeThat(url)
                .as("LEDGER_IT_PG_URL not set: no PostgreSQL to fall silent")
                .isNotBlank();
        String user = System.getenv().getOrDefault("LEDGER_IT_PG_USER", "ledger");
        String password = System.getenv().getOrDefault("LEDGER_IT_PG_PASSWORD", "");
        ThreeProcessesOnPostgresIT.wipe(url, user, password);

        proxy = new SilentProxy(url);
        Path jar = LedgerProcess.copyOfPackagedJar(logs);
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + proxy.through(url),
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--logging.level.root=warn"));
        args.addAll(LedgerProcess.accounts(TestAccounts.ADMIN));
        for (int i = 1; i <= 2; i++) {
            processes.add(new LedgerProcess("ledger-" + i, jar, args, logs));
        }
        processes.get(0).start().awaitHealthy(STARTUP);
        processes.get(1).start().awaitHealthy(STARTUP);
        List<String> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            players.add("quiet-" + i);
            Reply reply = send(i % 2, "PUT", "/api/players/quiet-" + i, "{\"name\":\"Quiet " + i + "\"}");
            assertThat(reply.status()).as(reply.body()).isIn(200, 201);
        }

        // Game servers: each sends new matches, and sends a match that answered 503 again, with the same id, after
        // its Retry-After (capped at 1 s here), as the README tells them. Every match ends acknowledged.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger nextMatch = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        Map<String, MatchClaim> recorded = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 3);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(threads.submit(() -> {
                Random random = new Random(client);
                while (!stop.get()) {
                    int n = nextMatch.getAndIncrement();
                    String a = players.get(random.nextInt(PLAYERS));
                    String b = players.get(random.nextInt(PLAYERS));
                    while (b.equals(a)) {
                        b = players.get(random.nextInt(PLAYERS));
                    }
                    MatchClaim claim = new MatchClaim("quiet-m" + n, a, b, random.nextInt(4) == 0);
                    for (int attempt = 0; ; attempt++) {
                        Exchange answer = exchange(
                                "POST /api/matches",
                                (n + attempt) % 2,
                                "POST",
                                "/api/matches",
                                claim.json(),
                                Duration.ofSeconds(60));
                        if (answer.status() == 200 || answer.status() == 201) {
                            recorded.put(claim.matchId(), claim);
                            acknowledged.incrementAndGet();
                            break;
                        }
                        assertThat(answer.status()).as("%s", answer).isEqualTo(503);
                        Thread.sleep(Math.min(1_000, Long.parseLong(answer.retryAfter()) * 1_000));
                    }
                }
                return null;
            }));
        }
        // An operator voiding acknowledged matches (a command of its own, not a group), sent again after a 503.
        Map<String, MatchClaim> voided = new java.util.concurrent.ConcurrentHashMap<>();
        Future<?> voider = threads.submit(() -> {
            for (int v = 0; !stop.get(); v++) {
                MatchClaim victim = recorded.values().stream()
                        .filter(claim -> !voided.containsKey(claim.matchId()))
                        .findAny()
                        .orElse(null);
                if (victim != null) {
                    for (int attempt = 0; ; attempt++) {
                        Exchange answer = exchange(
                                "POST /api/matches/{id}/void",
                                (v + attempt) % 2,
                                "POST",
                                "/api/matches/" + victim.matchId() + "/void",
                                "{\"reason\":\"silent database\"}",
                                Duration.ofSeconds(60));
                        if (answer.status() == 200 || answer.status() == 201) {
                            voided.put(victim.matchId(), victim);
                            break;
                        }
                        assertThat(answer.status()).as("%s", answer).isEqualTo(503);
                        Thread.sleep(Math.min(1_000, Long.parseLong(answer.retryAfter()) * 1_000));
                    }
                }
                Thread.sleep(300);
            }
            return null;
        });
        // A dashboard reading, and a load balancer asking each process for its health, all along.
        Future<?> readers = threads.submit(() -> {
            for (int i = 0; !stop.get(); i++) {
                exchange(
                        "GET /api/players",
                        i % 2,
                        "GET",
                        "/api/players/quiet-" + (i % PLAYERS),
                        null,
                        Duration.ofSeconds(60));
                Thread.sleep(100);
            }
            return null;
        });
        Future<?> health = threads.submit(() -> {
            for (int i = 0; !stop.get(); i++) {
                exchange("GET /actuator/health", i % 2, "GET", "/actuator/health", null, Duration.ofSeconds(60));
                Thread.sleep(200);
            }
            return null;
        });

        await().atMost(Duration.ofMinutes(3)).until(() -> acknowledged.get() >= 200);
        int beforeSilence = acknowledged.get();
        long silentAt = System.nanoTime();
        proxy.silence();
        System.out.printf(
                "silent database: the proxy stopped forwarding after %d acknowledged matches%n", beforeSilence);
        Thread.sleep(SILENCE.toMillis());
        long backAt = System.nanoTime();
        proxy.resume();
        int duringSilence = acknowledged.get() - beforeSilence;
        System.out.printf(
                "silent database: forwarding again after %d s; %d matches acknowledged meanwhile%n",
                SILENCE.toSeconds(), duringSilence);

        // Writes are decided again on both processes, without a restart: a probe match, sent again with its id
        // until acknowledged (an answer 503 may still have recorded it).
        long[] writableAfter = new long[2];
        for (int p = 0; p < 2; p++) {
            int process = p;
            MatchClaim probe = new MatchClaim("quiet-after-" + p, players.get(0), players.get(1), false);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Exchange answer = exchange(
                                "POST /api/matches",
                                process,
                                "POST",
                                "/api/matches",
                                probe.json(),
                                Duration.ofSeconds(60));
                        return answer.status() == 201 || answer.status() == 200;
                    });
            recorded.put(probe.matchId(), probe);
            writableAfter[p] = System.nanoTime() - backAt;
        }
        // A few more seconds of load after the outage, then every pending match is sent until acknowledged.
        Thread.sleep(3_000);
        stop.set(true);
        for (Future<?> client : clients) {
            client.get(5, TimeUnit.MINUTES);
        }
        voider.get(5, TimeUnit.MINUTES);
        readers.get(1, TimeUnit.MINUTES);
        health.get(1, TimeUnit.MINUTES);
        threads.shutdown();

        Map<String, Long> model = new HashMap<>();
        for (MatchClaim claim : recorded.values()) {
            if (!voided.containsKey(claim.matchId())) {
                model.merge(claim.first(), (long) claim.pointsOf(claim.first()), Long::sum);
                model.merge(claim.second(), (long) claim.pointsOf(claim.second()), Long::sum);
            }
        }

        // Both read models show every acknowledged match and the model's totals: the projections resumed.
        long caughtUp = System.nanoTime();
        for (int p = 0; p < 2; p++) {
            int process = p;
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        for (String player : players) {
                            Reply reply = send(process, "GET", "/api/players/" + player, null);
                            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
                            assertThat(JSON.readTree(reply.body()).get("points").asLong())
                                    .as("%s on ledger-%d", player, process + 1)
                                    .isEqualTo(model.getOrDefault(player, 0L));
                        }
                    });
        }
        double catchUpSeconds = (System.nanoTime() - caughtUp) / 1e9;
        for (String matchId : recorded.keySet()) {
            for (int p = 0; p < 2; p++) {
                Reply reply = send(p, "GET", "/api/matches/" + matchId, null);
                assertThat(reply.status())
                        .as("%s on ledger-%d: %s", matchId, p + 1, reply)
                        .isEqualTo(200);
            }
        }

        // What was answered while the proxy was silent, or in flight then.
        List<Exchange> all = new ArrayList<>(exchanges);
        List<Exchange> overlapping = all.stream()
                .filter(e -> e.sentNanos() < backAt && e.sentNanos() + e.tookNanos() > silentAt)
                .toList();
        List<Exchange> errors =
                all.stream().filter(e -> e.status() >= 500 && e.status() != 503).toList();
        Map<String, Double> slowest = new java.util.TreeMap<>();
        Map<String, Map<Integer, Integer>> statuses = new java.util.TreeMap<>();
        for (Exchange e : overlapping) {
            slowest.merge(e.what(), e.seconds(), Math::max);
            statuses.computeIfAbsent(e.what(), k -> new java.util.TreeMap<>()).merge(e.status(), 1, Integer::sum);
        }
        System.out.printf(
                "silent-database figures: %d s silent; answers overlapping it by kind %s, slowest %s; health DOWN "
                        + "seen on %s; writes answered 201 again %.1f s (ledger-1) and %.1f s (ledger-2) after the proxy "
                        + "forwarded again; read models equal the model %.1f s after the load ended; %d matches "
                        + "acknowledged, %d while silent, %d voided; %d proxied connections%n",
                SILENCE.toSeconds(),
                statuses,
                slowest,
                healthDownSeen(overlapping),
                writableAfter[0] / 1e9,
                writableAfter[1] / 1e9,
                catchUpSeconds,
                recorded.size(),
                duringSilence,
                voided.size(),
                proxy.connections());

        assertThat(errors).as("answers 500 (or another 5xx but 503)").isEmpty();
        assertThat(all).as("requests that got no answer").noneMatch(e -> e.status() == 0);
        // New matches answered 201 again on both processes once the database answered.
        assertThat(all.stream()
                        .filter(e -> e.sentNanos() > backAt && e.status() == 201)
                        .map(Exchange::process)
                        .distinct()
                        .sorted()
                        .toList())
                .containsExactly(0, 1);
        for (Exchange e : all) {
            Duration bound = e.what().equals("GET /actuator/health") ? HEALTH_BOUND : REQUEST_BOUND;
            assertThat(e.tookNanos()).as("%s", e).isLessThan(bound.toNanos());
            if (e.status() == 503 && !e.what().equals("GET /actuator/health")) {
                assertThat(e.retryAfter()).as("Retry-After of %s", e).matches("[1-9][0-9]*");
                assertThat(e.body()).as("%s", e).containsAnyOf("/problems/unavailable", "/problems/busy");
            }
        }
        // Silent long enough that every request sent in the middle of it failed.
        long middleFrom = silentAt + REQUEST_BOUND.toNanos();
        List<Exchange> inTheMiddle = overlapping.stream()
                .filter(e -> e.sentNanos() > middleFrom && e.sentNanos() + e.tookNanos() < backAt)
                .toList();
        assertThat(inTheMiddle)
                .as("requests sent and answered in the middle of the silence")
                .isNotEmpty();
        assertThat(inTheMiddle)
                .as("answers in the middle of the silence")
                .allSatisfy(e -> assertThat(e.status()).as("%s", e).isEqualTo(503));
        assertThat(healthDownSeen(inTheMiddle))
                .as("processes whose health said DOWN")
                .containsExactly(0, 1);
    }

    private static List<Integer> healthDownSeen(List<Exchange> exchanges) {
        return exchanges.stream()
                .filter(e -> e.what().equals("GET /actuator/health")
                        && e.status() == 503
                        && e.body().contains("DOWN"))
                .map(Exchange::process)
                .distinct()
                .sorted()
                .toList();
    }

    /** Sends and records the exchange; a request that gets no answer at all is recorded as status 0 and fails. */
    Exchange exchange(String what, int process, String method, String path, String body, Duration timeout)
            throws InterruptedException {
        long sent = System.nanoTime();
        Exchange exchange;
        try {
            Reply reply = processes.get(process).send(method, path, body, TestAccounts.ADMIN, timeout);
            exchange = new Exchange(
                    what, process, sent, System.nanoTime() - sent, reply.status(), reply.body(), reply.retryAfter());
        } catch (IOException noAnswer) {
            exchange = new Exchange(what, process, sent, System.nanoTime() - sent, 0, noAnswer.toString(), null);
        }
        exchanges.add(exchange);
        return exchange;
    }

    Reply send(int process, String method, String path, String body) throws IOException, InterruptedException {
        return processes.get(process).send(method, path, body, TestAccounts.ADMIN, Duration.ofSeconds(30));
    }
}
