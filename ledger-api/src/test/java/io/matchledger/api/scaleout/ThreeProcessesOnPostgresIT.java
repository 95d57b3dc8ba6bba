package io.matchledger.api.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerProcess;
import io.matchledger.api.LedgerProcess.Reply;
import io.matchledger.api.MatchClaim;
import io.matchledger.api.TestAccounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three ledger processes share one PostgreSQL. A load client spreads matches over all three, sends identical and
 * conflicting retries to other processes than the original, and one process that holds read-model segments is
 * killed with SIGKILL in the middle; its segments are claimed by the other two before it is started again. A quarter of the matches are between a few hot players and another quarter involve one, so
 * all three processes write the same ledgers at once and race on the store's key. Later PostgreSQL itself is stopped
 * for a few seconds and started again, under load. At the end every acknowledged match counts exactly once, on both
 * ledgers, and every process's read model equals both the model of what was acknowledged and a recomputation from
 * the stored events. No request ever answers 500; 503 only while the database is away, or shortly after.
 * <p>
 * Needs a PostgreSQL database it may wipe: {@code LEDGER_IT_PG_URL}, {@code LEDGER_IT_PG_USER},
 * {@code LEDGER_IT_PG_PASSWORD} ({@code .ci/run} installs and starts one). Without them it is skipped, except in
 * CI, where a missing database is a failure. The outage needs {@code LEDGER_IT_PG_CTL}, the command that stops and
 * starts that database's cluster (e.g. {@code pg_ctlcluster 15 main}; {@code .ci/run} sets it): without it that part
 * is skipped with a note, except in CI.
 */
class ThreeProcessesOnPostgresIT {

    static final int PLAYERS = Integer.getInteger("scaleout.players", 200);
    // 2,000 keep CI under 30 minutes (3,000 took 246 s of it, 4,000 292 s); -Dscaleout.matches=10000 for the longer
    // run.
    static final int MATCHES = Integer.getInteger("scaleout.matches", 2_000);
    static final int THREADS = 16;
    static final int KILL_AFTER = MATCHES * 2 / 5;
    /** PostgreSQL goes away once this many matches were acknowledged; the kill follows once it is over. */
    static final int OUTAGE_AFTER = MATCHES / 5;

    static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("scaleout.outage-seconds", 5));
    /** A liveness bound, not a performance target: a 503 this long after the database answers again fails. */
    static final Duration HEALED_WITHIN = Duration.ofSeconds(10);
    /** Players that a quarter of the matches are between, and another quarter involve. */
    static final int HOT = 5;
    /** How long a process may take to start: on a shared, busy CI machine three JVMs starting at once are slow. */
    static final Duration STARTUP = Duration.ofSeconds(Integer.getInteger("scaleout.startup-seconds", 300));

    static final ObjectMapper JSON = new ObjectMapper();

    final List<LedgerProcess> processes = new ArrayList<>();

    /** Every answer any request got, when it got it: no 500 at any time, and 503s only while the database is away. */
    record Answer(long atNanos, String what, int status) {}

    final ConcurrentLinkedQueue<Answer> statuses = new ConcurrentLinkedQueue<>();
    final AtomicInteger retried = new AtomicInteger();

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
        assumeThat(url)
                .as("LEDGER_IT_PG_URL not set: no PostgreSQL to run three processes on")
                .isNotBlank();
        String user = System.getenv().getOrDefault("LEDGER_IT_PG_USER", "ledger");
        String password = System.getenv().getOrDefault("LEDGER_IT_PG_PASSWORD", "");
        wipe(url, user, password);

        Path jar = LedgerProcess.copyOfPackagedJar(logs);
        List<String> args = new ArrayList<>(List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--logging.level.root=warn"));
        args.addAll(LedgerProcess.accounts(TestAccounts.ADMIN));
        for (int i = 1; i <= 3; i++) {
            processes.add(new LedgerProcess("ledger-" + i, jar, args, logs));
        }
        // The first creates the schema; the other two join it.
        processes.get(0).start().awaitHealthy(STARTUP);
        processes.get(1).start();
        processes.get(2).start();
        processes.get(1).awaitHealthy(STARTUP);
        processes.get(2).awaitHealthy(STARTUP);

        List<String> players = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            players.add("sp-" + i);
            Reply reply = send(i % 3, "PUT", "/api/players/sp-" + i, "{\"name\":\"Scale " + i + "\"}");
            assertThat(reply.status()).as(reply.body()).isIn(200, 201);
        }

        // Work: each claim goes to a process; its retries go to the other two.
        Random random = new Random(7);
        record Work(MatchClaim claim, int process) {}
        ConcurrentLinkedQueue<Work> work = new ConcurrentLinkedQueue<>();
        int extra = 0;
        int hotMatches = 0;
        for (int i = 0; i < MATCHES; i++) {
            // A quarter between two hot players, a quarter with one of them, the rest anyone: on every process.
            boolean hot = i % 4 == 0;
            String a = players.get(random.nextInt(hot || i % 4 == 1 ? HOT : PLAYERS));
            String b = players.get(random.nextInt(hot ? HOT : PLAYERS));
            while (b.equals(a)) {
                b = players.get(random.nextInt(hot ? HOT : PLAYERS));
            }
            hotMatches += i % 4 <= 1 ? 1 : 0;
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

        Map<Integer, String> ownersBeforeKill = java.util.Collections.synchronizedMap(new java.util.TreeMap<>());
        java.util.concurrent.atomic.AtomicLong segmentsMovedAfter = new java.util.concurrent.atomic.AtomicLong(-1);
        Map<String, List<Map.Entry<MatchClaim, Reply>>> answers = new ConcurrentHashMap<>();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failedOver = new AtomicInteger();
        AtomicBoolean loadDone = new AtomicBoolean();
        Outage outage = new Outage(pgCtl());
        ExecutorService threads = Executors.newFixedThreadPool(THREADS + 3);
        Future<?> chaos = threads.submit(() -> {
            if (outage.pgCtl != null) {
                await().atMost(Duration.ofMinutes(5)).until(() -> acknowledged.get() >= OUTAGE_AFTER);
                outage.run(acknowledged, url, user, password);
            }
            await().atMost(Duration.ofMinutes(5)).until(() -> acknowledged.get() >= KILL_AFTER);
            // The read models' segments are spread over the processes (ADR 0018), the victim's among them.
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> readModelOwners(url, user, password).values().stream()
                                    .distinct()
                                    .count()
                            >= 2);
            ownersBeforeKill.putAll(readModelOwners(url, user, password));
            // The victim holds segments: its claims must move to the two left, and nothing is lost or applied twice.
            LedgerProcess victim = processes.stream()
                    .filter(process -> process != processes.get(0))
                    .filter(process -> ownersBeforeKill.values().stream().anyMatch(owner -> isOwnedBy(owner, process)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("only ledger-1 holds segments: " + ownersBeforeKill));
            long killedAt = System.nanoTime();
            victim.kill();
            System.out.printf(
                    "scale-out: killed %s (pid %d, holding segments %s) with SIGKILL after %d acknowledged matches%n",
                    victim.name(), victim.pid(), segmentsOf(ownersBeforeKill, victim), acknowledged.get());
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<Integer, String> owners = readModelOwners(url, user, password);
                        return owners.size() == 4
                                && owners.values().stream()
                                        .noneMatch(owner -> owner == null || isOwnedBy(owner, victim));
                    });
            segmentsMovedAfter.set(System.nanoTime() - killedAt);
            System.out.printf(
                    "scale-out: the killed process's segments claimed by the others %.1f s after the kill: %s%n",
                    segmentsMovedAfter.get() / 1e9, readModelOwners(url, user, password));
            // Down until the survivors have also acknowledged more matches without it, not for a guessed while.
            int atKill = acknowledged.get();
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.get() >= atKill + 100);
            victim.start().awaitHealthy(STARTUP);
            System.out.printf(
                    "scale-out: %s is back after %d acknowledged matches%n", victim.name(), acknowledged.get());
            return null;
        });
        // Readers and the health check, on every process, all along: reads must not answer 500 either.
        Future<?> readers = threads.submit(() -> {
            for (int i = 0; !loadDone.get(); i++) {
                int process = i % 3;
                String path = switch (i % 3) {
                    case 0 -> "/api/players/sp-" + (i % HOT);
                    case 1 -> "/api/leaderboard?limit=10";
                    default -> "/api/matches/sp-m" + (i % Math.max(1, acknowledged.get() + 1));
                };
                try {
                    Reply reply = send(process, "GET", path, null);
                    statuses.add(new Answer(System.nanoTime(), "GET " + path, reply.status()));
                } catch (IOException notAnswering) {
                    // the killed process
                }
                Thread.sleep(20);
            }
            return null;
        });
        Future<?> health = threads.submit(() -> {
            for (int i = 0; !loadDone.get(); i++) {
                int process = i % 3;
                long asked = System.nanoTime();
                try {
                    Reply reply = send(process, "GET", "/actuator/health", null, Duration.ofSeconds(10));
                    long took = System.nanoTime() - asked;
                    outage.healthAnswered(process, reply, asked, took);
                    if (reply.status() != 503) { // 503 is health's DOWN, expected during the outage
                        statuses.add(new Answer(System.nanoTime(), "GET /actuator/health", reply.status()));
                    }
                } catch (IOException notAnswering) {
                    outage.healthSilent(process, asked);
                }
                Thread.sleep(100);
            }
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
        loadDone.set(true);
        readers.get(1, TimeUnit.MINUTES);
        health.get(1, TimeUnit.MINUTES);
        threads.shutdown();
        if (outage.pgCtl != null) {
            assertThat(outage.endedAtNanos)
                    .as("the outage ended before the load did")
                    .isLessThan(endOfLoad(started, seconds));
        }

        // What was acknowledged: one content per match id, every other content refused.
        Map<String, Long> model = new HashMap<>();
        int conflicts = 0;
        int replays = 0;
        for (var entry : answers.entrySet()) {
            List<Map.Entry<MatchClaim, Reply>> sameId = entry.getValue();
            synchronized (sameId) {
                List<MatchClaim> accepted = sameId.stream()
                        .filter(a -> a.getValue().status() == 201)
                        .map(Map.Entry::getKey)
                        .toList();
                List<MatchClaim> acceptedOrReplayed = sameId.stream()
                        .filter(a -> a.getValue().status() / 100 == 2)
                        .map(Map.Entry::getKey)
                        .distinct()
                        .toList();
                // A 201 may be lost with a killed process: then a retry elsewhere answers 200 for the same content.
                assertThat(accepted.size())
                        .as("creations of %s: %s", entry.getKey(), sameId)
                        .isLessThanOrEqualTo(1);
                assertThat(acceptedOrReplayed)
                        .as("contents acknowledged for %s: %s", entry.getKey(), sameId)
                        .hasSize(1);
                MatchClaim claim = acceptedOrReplayed.get(0);
                for (var attempt : sameId) {
                    if (attempt.getKey().equals(claim)) {
                        assertThat(attempt.getValue().status())
                                .as("%s", attempt)
                                .isIn(200, 201);
                        replays += attempt.getValue().status() == 200 ? 1 : 0;
                    } else {
                        assertThat(attempt.getValue().status())
                                .as("%s", attempt)
                                .isEqualTo(409);
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
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement()) {
            assertThat(single(sql, "select count(*) from domain_event_entry where payload_type like '%.MatchSettled'"))
                    .isEqualTo(MATCHES);
            assertThat(single(sql, """
                    select count(*) from (select convert_from(payload, 'UTF8')::json->>'matchId' as match_id
                                          from domain_event_entry where payload_type like '%.MatchRecorded'
                                          group by match_id having count(*) <> 2) as lopsided"""))
                    .as("matches on only one ledger, or on more than two")
                    .isZero();
            try (ResultSet rows = sql.executeQuery("""
                    select aggregate_identifier, convert_from(payload, 'UTF8') from domain_event_entry
                    where payload_type like '%.MatchRecorded' or payload_type like '%.PointsAdjusted'""")) {
                while (rows.next()) {
                    fromEvents.merge(
                            rows.getString(1),
                            JSON.readTree(rows.getString(2)).get("points").asLong(),
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
                    assertThat(JSON.readTree(reply.body()).get("points").asLong())
                            .as(player + " on ledger-" + (process + 1))
                            .isEqualTo(model.getOrDefault(player, 0L));
                }
            });
        }
        // Every segment claimed again after the kill, by the processes alive now, still more than one of them.
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            Map<Integer, String> owners = readModelOwners(url, user, password);
            assertThat(owners).hasSize(4);
            assertThat(owners.values()).doesNotContainNull();
            assertThat(owners.values().stream().distinct().count()).isGreaterThanOrEqualTo(2);
        });
        System.out.printf(
                "scale-out: read-models segments before the kill %s, at the end %s%n",
                ownersBeforeKill, readModelOwners(url, user, password));
        System.out.printf(
                "scale-out: %d requests (%d matches, %d retries and conflicts) from %d threads over 3 "
                        + "processes in %.1f s = %.0f requests/s; %d identical retries answered 200, %d "
                        + "conflicts refused, %d requests failed over to another process; %d matches "
                        + "settled once, on two ledgers each; totals equal model and events on all 3%n",
                MATCHES + extra,
                MATCHES,
                extra,
                THREADS,
                seconds,
                (MATCHES + extra) / seconds,
                replays,
                conflicts,
                failedOver.get(),
                MATCHES);
        // Statuses: no 500 ever; 503 only while the database was away or shortly after it answered again.
        List<Answer> all = new ArrayList<>(statuses);
        List<Answer> errors =
                all.stream().filter(a -> a.status() >= 500 && a.status() != 503).toList();
        List<Answer> unavailable = all.stream().filter(a -> a.status() == 503).toList();
        long duringOutage = unavailable.stream().filter(outage::during).count();
        List<Answer> late = unavailable.stream()
                .filter(a -> !outage.during(a) && !outage.shortlyAfter(a))
                .toList();
        long afterOutage = unavailable.size() - duringOutage - late.size();
        long contention =
                all.stream().filter(a -> a.what().startsWith("contention")).count();
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        all.forEach(a -> byStatus.merge(a.status(), 1L, Long::sum));
        long lost = lost(url, user, password, answers);
        double conflictRetries = conflictRetries();
        System.out.printf(
                "scale-out figures: %d matches acknowledged (%d with a hot player), %d lost; %d client "
                        + "retries; %d answers 503 (%d while the database was away, %d in the %d s after, "
                        + "%d of them /problems/contention, %d later); %d answers 500 or other 5xx; %d "
                        + "conflicts refused (409); statuses %s; server-side retries after a lost race on "
                        + "the processes still running: %.0f (%.2f per hot match)%n",
                MATCHES,
                hotMatches,
                lost,
                retried.get(),
                unavailable.size(),
                duringOutage,
                afterOutage,
                HEALED_WITHIN.toSeconds(),
                contention,
                late.size(),
                errors.size(),
                conflicts,
                byStatus,
                conflictRetries,
                conflictRetries / hotMatches);
        outage.print();
        assertThat(errors).as("answers 500 (or another 5xx but 503)").isEmpty();
        assertThat(late.stream()
                        .map(a -> String.format("%s %.1f s after", a.what(), (a.atNanos() - outage.backAtNanos) / 1e9))
                        .toList())
                .as("503s more than %s after the database answered again", HEALED_WITHIN)
                .isEmpty();
        assertThat(lost).as("acknowledged matches not in the store").isZero();
        outage.assertHealthSawIt();

        // Memory under this load, for the record (the killed one's peak counts from its restart).
        for (LedgerProcess process : processes) {
            System.out.printf("scale-out: %s peak RSS %d MB%n", process.name(), process.peakRssMb());
        }
    }

    /**
     * A game server's retry, as the README tells clients: a process that does not answer is replaced by the next; a
     * 503 is sent again with the same match id after its Retry-After (here at most 2 s), also to the next process.
     * The match id keeps it safe. A 500 is recorded (the test fails on it) and retried like a 503.
     */
    Reply sendWithFailover(int first, MatchClaim claim, AtomicInteger failedOver) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            int process = (first + attempt) % 3;
            long pause = 50;
            try {
                Reply reply = send(process, "POST", "/api/matches", claim.json());
                // A 503's problem type and the process that gave it, so that a failure says which kind came when.
                String problem = reply.status() == 503 ? problemType(reply.body()) + " " : "";
                statuses.add(new Answer(
                        System.nanoTime(), problem + "POST /api/matches to ledger-" + (process + 1), reply.status()));
                if (reply.status() < 500) {
                    return reply;
                }
                if (reply.status() == 503) {
                    assertThat(reply.retryAfter())
                            .as("Retry-After of a 503: %s", reply.body())
                            .matches("[0-9]+");
                    pause = Math.min(2_000, Long.parseLong(reply.retryAfter()) * 1_000);
                }
                retried.incrementAndGet();
            } catch (IOException down) {
                // refused, reset or cut off mid-request: the outcome is unknown, so retry the same claim elsewhere
                failedOver.incrementAndGet();
            }
            Thread.sleep(pause);
        }
        throw new IllegalStateException("no process answered for " + claim);
    }

    /** The last segment of a problem's type ("contention" for /problems/contention); "untyped" without one. */
    static String problemType(String body) {
        java.util.regex.Matcher type =
                java.util.regex.Pattern.compile("/problems/([a-z-]+)").matcher(body);
        return type.find() ? type.group(1) : "untyped";
    }

    Reply send(int process, String method, String path, String body) throws IOException, InterruptedException {
        return send(process, method, path, body, Duration.ofSeconds(30));
    }

    Reply send(int process, String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        return processes.get(process).send(method, path, body, TestAccounts.ADMIN, timeout);
    }

    /** For polling: a process that does not answer yet is an unmet condition, not the end of the test. */
    Reply sendOrFail(int process, String method, String path) throws InterruptedException {
        try {
            return send(process, method, path, null);
        } catch (IOException notAnswering) {
            throw new AssertionError("ledger-" + (process + 1) + " does not answer " + path, notAnswering);
        }
    }

    static long endOfLoad(long startedNanos, double seconds) {
        return startedNanos + (long) (seconds * 1e9);
    }

    /** Matches a client was told were recorded (201, or 200 for a retry) that the store does not have. */
    static long lost(String url, String user, String password, Map<String, List<Map.Entry<MatchClaim, Reply>>> answers)
            throws Exception {
        java.util.Set<String> stored = new java.util.HashSet<>();
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery("select aggregate_identifier from domain_event_entry "
                        + "where payload_type like '%.MatchSettled'")) {
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
        }
        return answers.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(a -> a.getValue().status() / 100 == 2))
                .filter(e -> !stored.contains("match:" + e.getKey()))
                .count();
    }

    /** The processes' own count of commands retried after a lost race (the killed one's since its restart). */
    double conflictRetries() throws InterruptedException {
        double sum = 0;
        for (int p = 0; p < 3; p++) {
            try {
                for (String line :
                        send(p, "GET", "/actuator/prometheus", null).body().split("\n")) {
                    if (line.startsWith("ledger_command_retries_total{") && line.contains("reason=\"conflict\"")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            } catch (IOException notAnswering) {
                // counted as none
            }
        }
        return sum;
    }

    /** The command that stops and starts the test database's cluster, or null (skipped with a note; fails in CI). */
    static List<String> pgCtl() {
        String command = System.getenv("LEDGER_IT_PG_CTL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(command)
                    .as("CI must provide LEDGER_IT_PG_CTL (see .ci/run)")
                    .isNotBlank();
        }
        if (command == null || command.isBlank()) {
            System.out.println("scale-out: LEDGER_IT_PG_CTL not set (e.g. \"pg_ctlcluster 15 main\"): the part where "
                    + "PostgreSQL is stopped and started under load is skipped");
            return null;
        }
        return List.of(command.trim().split("\\s+"));
    }

    /** PostgreSQL stopped under load for a few seconds, then started; and what the health check said meanwhile. */
    static final class Outage {

        final List<String> pgCtl;
        volatile long stoppingAtNanos = Long.MAX_VALUE;
        volatile long backAtNanos = Long.MAX_VALUE;
        volatile long endedAtNanos = Long.MAX_VALUE;
        final boolean[] sawDown = new boolean[3];
        final boolean[] sawUpAfter = new boolean[3];
        final long[] slowestHealthNanos = new long[3];

        Outage(List<String> pgCtl) {
            this.pgCtl = pgCtl;
        }

        void run(AtomicInteger acknowledged, String url, String user, String password) throws Exception {
            System.out.printf("scale-out: stopping PostgreSQL after %d acknowledged matches%n", acknowledged.get());
            stoppingAtNanos = System.nanoTime();
            pgCtl("stop", "-m", "fast");
            Thread.sleep(OUTAGE.toMillis());
            pgCtl("start");
            // Back is when it answers a query again, not when pg_ctlcluster returns.
            for (long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos(); ; ) {
                try (Connection db = DriverManager.getConnection(url, user, password);
                        Statement sql = db.createStatement()) {
                    sql.execute("select 1");
                    break;
                } catch (java.sql.SQLException notYet) {
                    assertThat(System.nanoTime()).as("PostgreSQL answers again").isLessThan(deadline);
                    Thread.sleep(100);
                }
            }
            backAtNanos = System.nanoTime();
            System.out.printf(
                    "scale-out: PostgreSQL answers again after %.1f s away, %d acknowledged matches%n",
                    (backAtNanos - stoppingAtNanos) / 1e9, acknowledged.get());
            // Every process serves again, without a restart: health UP on all three.
            await().atMost(Duration.ofMinutes(1)).until(() -> sawUpAfter[0] && sawUpAfter[1] && sawUpAfter[2]);
            endedAtNanos = System.nanoTime();
            System.out.printf(
                    "scale-out: all three processes healthy %.1f s after PostgreSQL answered again%n",
                    (endedAtNanos - backAtNanos) / 1e9);
        }

        private void pgCtl(String... arguments) throws Exception {
            List<String> command = new ArrayList<>(pgCtl);
            command.addAll(List.of(arguments));
            Process ctl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ctl.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(ctl.exitValue()).as("%s: %s", command, output).isZero();
        }

        boolean during(Answer answer) {
            return answer.atNanos() >= stoppingAtNanos && answer.atNanos() <= backAtNanos;
        }

        boolean shortlyAfter(Answer answer) {
            return answer.atNanos() > backAtNanos && answer.atNanos() <= backAtNanos + HEALED_WITHIN.toNanos();
        }

        synchronized void healthAnswered(int process, Reply reply, long askedNanos, long tookNanos) {
            boolean down = reply.status() == 503 && reply.body().contains("DOWN");
            if (askedNanos > stoppingAtNanos && askedNanos < backAtNanos) {
                sawDown[process] |= down;
                slowestHealthNanos[process] = Math.max(slowestHealthNanos[process], tookNanos);
            }
            if (askedNanos > backAtNanos && reply.status() == 200) {
                sawUpAfter[process] = true;
            }
        }

        synchronized void healthSilent(int process, long askedNanos) {
            if (askedNanos > stoppingAtNanos && askedNanos < backAtNanos) {
                slowestHealthNanos[process] = Long.MAX_VALUE;
            }
        }

        void print() {
            if (pgCtl == null) {
                return;
            }
            for (int p = 0; p < 3; p++) {
                System.out.printf(
                        "scale-out: ledger-%d health during the outage: %s, slowest answer %s%n",
                        p + 1,
                        sawDown[p] ? "DOWN seen" : "DOWN not seen",
                        slowestHealthNanos[p] == Long.MAX_VALUE
                                ? "none (timed out)"
                                : slowestHealthNanos[p] / 1_000_000 + " ms");
            }
        }

        void assertHealthSawIt() {
            if (pgCtl == null) {
                return;
            }
            for (int p = 0; p < 3; p++) {
                assertThat(sawDown[p])
                        .as("ledger-%d's health reported DOWN while PostgreSQL was away", p + 1)
                        .isTrue();
                assertThat(slowestHealthNanos[p])
                        .as("ledger-%d's health answered within 10 s during the outage", p + 1)
                        .isLessThan(Duration.ofSeconds(10).toNanos());
            }
        }
    }

    static long single(Statement sql, String query) throws Exception {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static boolean isOwnedBy(String owner, LedgerProcess process) {
        return owner != null && owner.startsWith(process.pid() + "@");
    }

    private static List<Integer> segmentsOf(Map<Integer, String> owners, LedgerProcess process) {
        return owners.entrySet().stream()
                .filter(entry -> isOwnedBy(entry.getValue(), process))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Which process (Axon's owner, pid@host) holds each segment of the read models' processor; null: unclaimed. */
    static Map<Integer, String> readModelOwners(String url, String user, String password) throws Exception {
        Map<Integer, String> owners = new java.util.TreeMap<>();
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery(
                        "select segment, owner from token_entry where processor_name = 'read-models'")) {
            while (rows.next()) {
                owners.put(rows.getInt(1), rows.getString(2));
            }
        }
        return owners;
    }

    static void wipe(String url, String user, String password) throws Exception {
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement()) {
            sql.execute("drop schema if exists public cascade");
            sql.execute("create schema public");
        }
    }
}
