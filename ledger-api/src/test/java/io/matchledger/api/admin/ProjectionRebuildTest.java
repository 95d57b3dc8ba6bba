package io.matchledger.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.api.TestAccounts;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.lifecycle.RebuildInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * Rebuilding a projection from the first event while the service is in use: readers see the live model, whole, until
 * the rebuilt one replaces it; the rebuilt model is the one before, row for row, plus what was recorded meanwhile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import({ProjectionRebuildTest.Gate.class, ProjectionRebuildTest.Witness.class})
@DirtiesContext
class ProjectionRebuildTest {

    /**
     * Holds a rebuild at one event, so that the test can look at the service in the middle of a rebuild instead of
     * hoping to catch it there.
     */
    static class Gate implements RebuildInterceptor {

        volatile String matchId;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch opened = new CountDownLatch(1);

        @Override
        public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                throws Exception {
            if (unitOfWork.getMessage().getPayload() instanceof MatchRecorded match
                    && match.matchId().equals(matchId)) {
                reached.countDown();
                opened.await(60, TimeUnit.SECONDS);
            }
            return chain.proceed();
        }
    }

    /**
     * Another handler in the matches' processor, so that a rebuild of the matches leaves the live token where it was
     * (this handler has not seen what lies beyond) and the rebuilt model gets the events in between again: the
     * projection must skip them as redeliveries, and this handler must miss none.
     */
    @ProcessingGroup(MatchesProjection.PROCESSING_GROUP)
    static class Witness {

        final Set<String> settled = ConcurrentHashMap.newKeySet();

        @EventHandler
        void on(MatchSettled event) {
            settled.add(event.matchId());
        }
    }

    static final List<String> TABLES =
            List.of("player_standing", "points_tally", "match_record", "player_history", "ledger_entry");

    @LocalServerPort
    int port;

    @Autowired
    Gate gate;

    @Autowired
    Witness witness;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void duringARebuildReadersSeeTheLiveModelWholeAndAfterwardsTheSameRows() {
        LedgerClient admin = new LedgerClient(port);
        LedgerClient dashboard = TestAccounts.READER.client(port);
        List<String> players = List.of("gt-early-a", "gt-early-b", "gt-late-a", "gt-late-b");
        players.subList(0, 2).forEach(this::register);
        assertThat(admin.adjust("gt-early-b", "gt-early-b-opening", 40, "opening balance")
                        .status())
                .isEqualTo(201);
        for (int i = 0; i < 150; i++) {
            Reply reply = i % 5 == 0
                    ? admin.draw("gt-" + i, "gt-early-a", "gt-early-b")
                    : admin.win(
                            "gt-" + i,
                            i % 2 == 0 ? "gt-early-a" : "gt-early-b",
                            i % 2 == 0 ? "gt-early-b" : "gt-early-a");
            assertThat(reply.status()).isEqualTo(201);
        }
        assertThat(admin.win("gt-gate", "gt-early-a", "gt-early-b").status()).isEqualTo(201);
        // The late players' events all come after the gate.
        players.subList(2, 4).forEach(this::register);
        assertThat(admin.win("gt-late", "gt-late-a", "gt-late-b").status()).isEqualTo(201);
        assertThat(admin.post("/api/matches/gt-7/void", "{\"reason\":\"replayed by mistake\"}")
                        .status())
                .isEqualTo(201);
        awaitCaughtUp(admin);
        Map<String, JsonNode> before = new HashMap<>();
        players.forEach(p -> before.put(p, dashboard.get("/api/players/" + p).json()));
        JsonNode leaderboardBefore =
                dashboard.get("/api/leaderboard?limit=1000").json();
        Map<String, List<Map<String, Object>>> rowsBefore = rows();

        gate.matchId = "gt-gate";
        Reply started = admin.post("/api/admin/projections/standings/rebuild", "");
        try {
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            assertThat(started.json().get("name").asText()).isEqualTo("standings");
            assertThat(started.json().get("rebuilding").asBoolean()).isTrue();
            assertThat(awaitGate()).as("the rebuild reached the gate").isTrue();

            // Operations see the rebuild and how far it is; the live model is not behind.
            JsonNode standings = projection(admin, "standings");
            assertThat(standings.get("rebuilding").asBoolean()).isTrue();
            assertThat(standings.get("replaying").asBoolean()).isFalse();
            assertThat(standings.get("rebuildPosition").asLong())
                    .isLessThan(standings.get("head").asLong());
            assertThat(standings.get("lagEvents").asLong()).isZero();

            // A dashboard reads the live model, whole: the late players are there, nothing is marked partial.
            for (String player : players) {
                Reply read = dashboard.get("/api/players/" + player);
                assertThat(read.status()).as(player).isEqualTo(200);
                assertThat(read.json()).as(player).isEqualTo(before.get(player));
            }
            assertThat(dashboard.get("/api/leaderboard?limit=1000").json()).isEqualTo(leaderboardBefore);

            // A second rebuild of the same projection is refused until this one is done.
            Reply again = admin.post("/api/admin/projections/standings/rebuild", "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(again.json().get("type").asText()).isEqualTo("/problems/rebuild-refused");

            JsonNode verify = admin.get("/api/audit/verify").json();
            assertThat(verify.get("mismatches")).as(verify.toString()).isEmpty();
        } finally {
            gate.matchId = null;
            gate.opened.countDown();
        }
        awaitCaughtUp(admin);

        // The other two, ungated; then every table of every projection is what it was, row for row.
        for (String name : List.of("matches", "history")) {
            Reply rebuild = admin.post("/api/admin/projections/" + name + "/rebuild", "");
            assertThat(rebuild.status()).as(rebuild.toString()).isEqualTo(202);
        }
        awaitCaughtUp(admin);
        assertThat(rows()).isEqualTo(rowsBefore);
        for (String table : TABLES) {
            assertThat(jdbc.queryForObject("select count(*) from " + table + "_rebuild", Long.class))
                    .as("the twin of " + table + " is emptied after the swap")
                    .isZero();
        }
        players.forEach(
                p -> assertThat(dashboard.get("/api/players/" + p).json()).as(p).isEqualTo(before.get(p)));
        assertThat(dashboard.get("/api/leaderboard?limit=1000").json()).isEqualTo(leaderboardBefore);
        JsonNode verify = admin.get("/api/audit/verify").json();
        assertThat(verify.get("mismatches")).as(verify.toString()).isEmpty();
        assertThat(verify.get("playersChecked").asLong())
                .isEqualTo(leaderboardBefore.get("total").asLong());
    }

    /**
     * Every row of every read-model table, in key order: every column but {@code version}, which counts the batches
     * that wrote a row (a rebuild writes it in fewer).
     */
    private Map<String, List<Map<String, Object>>> rows() {
        Map<String, List<Map<String, Object>>> rows = new HashMap<>();
        rows.put("player_standing", jdbc.queryForList("select * from player_standing order by player_id"));
        rows.put(
                "points_tally",
                jdbc.queryForList("select points, players from points_tally where players <> 0 order by points"));
        rows.put(
                "match_record",
                jdbc.queryForList("select match_id, outcome, first_player_id, first_result, first_points, "
                        + "second_player_id, second_result, second_points, occurred_at, recorded_at, voided "
                        + "from match_record order by match_id"));
        rows.put(
                "player_history",
                jdbc.queryForList("select player_id, matches, last_sequence from player_history order by player_id"));
        rows.put(
                "ledger_entry",
                jdbc.queryForList(
                        "select player_id, sequence, kind, match_number, match_id, adjustment_id, opponent_id, "
                                + "result, points, total_after, voided, reason, occurred_at, recorded_at "
                                + "from ledger_entry order by player_id, sequence"));
        return rows;
    }

    @Test
    void rebuildingEveryProjectionDuringALoadOfMatchesEndsWithTheModelOfTheAcknowledgedMatches() throws Exception {
        LedgerClient admin = new LedgerClient(port);
        List<String> players = new ArrayList<>();
        Map<String, Long> model = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String player = "ld-" + i;
            players.add(player);
            assertThat(admin.registerPlayer(player, "Load " + i).status()).isEqualTo(201);
            assertThat(admin.adjust(player, player + "-opening", 10 + i, "opening balance")
                            .status())
                    .isEqualTo(201);
            model.put(player, 10L + i);
        }
        ConcurrentLinkedQueue<JsonNode> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger matchIds = new AtomicInteger();
        // A history for the rebuild to replay, recorded the same way as the load.
        record(players, 1_500, matchIds, acknowledged, failures);
        awaitCaughtUp(admin);

        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            long seed = t;
            load.add(threads.submit(() -> {
                LedgerClient recorder = TestAccounts.RECORDER.client(port);
                Random random = new Random(seed);
                while (loading.get()) {
                    recordOne(recorder, players, random, matchIds, acknowledged, failures);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1_500 + 100);

        List<String> names = new ArrayList<>();
        admin.get("/api/admin/projections")
                .json()
                .forEach(p -> names.add(p.get("name").asText()));
        // The webhooks' processor is listed for its lag and state, but never rebuilt: a replay would deliver
        // everything again (ADR 0017); its rebuild is refused.
        names.remove("webhooks");
        assertThat(names).contains("standings", "matches");
        long headAtRebuild =
                admin.get("/api/admin/projections").json().get(0).get("head").asLong();
        long rebuildStarted = System.nanoTime();
        for (String name : names) {
            Reply started = admin.post("/api/admin/projections/" + name + "/rebuild", "");
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
        }
        int acknowledgedAtRebuild = acknowledged.size();
        // While the rebuilds run and matches keep coming, every verification is exact, and no reader ever sees a
        // total go back (points only grow in this load) or a player missing: no half-built model, no swap behind.
        LedgerClient dashboard = TestAccounts.READER.client(port);
        Map<String, Long> seen = new HashMap<>();
        int verifiedDuringRebuild = 0;
        long verifyNanos = 0;
        while (anyRebuilding(admin)) {
            for (String player : players) {
                Reply read = dashboard.get("/api/players/" + player);
                assertThat(read.status()).as(player).isEqualTo(200);
                long points = read.json().get("points").asLong();
                assertThat(points)
                        .as(player + " never goes back")
                        .isGreaterThanOrEqualTo(seen.getOrDefault(player, 0L));
                seen.put(player, points);
            }
            long started = System.nanoTime();
            JsonNode verify = admin.get("/api/audit/verify").json();
            verifyNanos += System.nanoTime() - started;
            verifiedDuringRebuild++;
            assertThat(verify.get("mismatches")).as(verify.toString()).isEmpty();
            assertThat(verify.get("totalAfterBreaks")).as(verify.toString()).isEmpty();
            assertThat(System.nanoTime() - rebuildStarted)
                    .as("rebuild still running after 5 minutes")
                    .isLessThan(TimeUnit.MINUTES.toNanos(5));
        }
        double rebuildSeconds = (System.nanoTime() - rebuildStarted) / 1e9;
        long headAfterRebuild =
                admin.get("/api/admin/projections").json().get(0).get("head").asLong();
        int acknowledgedDuringRebuild = acknowledged.size() - acknowledgedAtRebuild;
        await().atMost(Duration.ofSeconds(60))
                .until(() -> acknowledged.size() >= acknowledgedAtRebuild + acknowledgedDuringRebuild + 100);
        loading.set(false);
        for (Future<?> thread : load) {
            thread.get(1, TimeUnit.MINUTES);
        }
        threads.shutdown();

        assertThat(failures).isEmpty();
        // The matches' processor runs the witness too: it went on from its own token, and missed no match.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(witness.settled)
                        .containsAll(acknowledged.stream()
                                .map(match -> match.get("matchId").asText())
                                .toList()));
        for (JsonNode match : acknowledged) {
            match.get("players")
                    .forEach(share -> model.merge(
                            share.get("playerId").asText(), share.get("points").asLong(), Long::sum));
        }
        awaitCaughtUp(admin);
        for (JsonNode projection : admin.get("/api/admin/projections").json()) {
            assertThat(projection.get("replaying").asBoolean())
                    .as(projection.toString())
                    .isFalse();
        }
        JsonNode verify = admin.get("/api/audit/verify").json();
        assertThat(verify.get("mismatches")).as(verify.toString()).isEmpty();
        assertThat(verify.get("totalAfterBreaks")).as(verify.toString()).isEmpty();
        assertThat(verify.get("playersChecked").asLong()).isGreaterThanOrEqualTo(players.size());
        for (String player : players) {
            assertThat(admin.pointsOf(player)).as(player).isEqualTo(model.get(player));
        }
        for (JsonNode match : acknowledged) {
            String matchId = match.get("matchId").asText();
            if (matchId.hashCode() % 10 == 0) {
                assertThat(admin.get("/api/matches/" + matchId).status())
                        .as(matchId)
                        .isEqualTo(200);
            }
        }
        System.out.printf(
                "rebuild under load: %s each replayed %d events (%d at the reset, the rest recorded "
                        + "meanwhile) in %.1f s (%.0f events/s per projection) while %d matches were "
                        + "recorded (%.0f/s); %d verifications meanwhile, %.0f ms each on average%n",
                names,
                headAfterRebuild,
                headAtRebuild,
                rebuildSeconds,
                headAfterRebuild / rebuildSeconds,
                acknowledgedDuringRebuild,
                acknowledgedDuringRebuild / rebuildSeconds,
                verifiedDuringRebuild,
                verifiedDuringRebuild == 0 ? 0 : verifyNanos / 1e6 / verifiedDuringRebuild);
    }

    @Test
    void anUnknownProjectionIsNotFound() {
        Reply reply = new LedgerClient(port).post("/api/admin/projections/nothing-here/rebuild", "");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("detail").asText()).contains("nothing-here");
    }

    void register(String player) {
        assertThat(new LedgerClient(port)
                        .registerPlayer(player, player.toUpperCase())
                        .status())
                .isEqualTo(201);
    }

    void record(
            List<String> players,
            int matches,
            AtomicInteger matchIds,
            ConcurrentLinkedQueue<JsonNode> acknowledged,
            ConcurrentLinkedQueue<String> failures)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            long seed = 100 + t;
            running.add(threads.submit(() -> {
                LedgerClient recorder = TestAccounts.RECORDER.client(port);
                Random random = new Random(seed);
                while (matchIds.get() < matches) {
                    recordOne(recorder, players, random, matchIds, acknowledged, failures);
                }
            }));
        }
        for (Future<?> thread : running) {
            thread.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();
    }

    static void recordOne(
            LedgerClient recorder,
            List<String> players,
            Random random,
            AtomicInteger matchIds,
            ConcurrentLinkedQueue<JsonNode> acknowledged,
            ConcurrentLinkedQueue<String> failures) {
        String first = players.get(random.nextInt(players.size()));
        String second = players.get(random.nextInt(players.size()));
        if (first.equals(second)) {
            return;
        }
        String matchId = "ld-m" + matchIds.incrementAndGet();
        Reply reply =
                random.nextInt(4) == 0 ? recorder.draw(matchId, first, second) : recorder.win(matchId, first, second);
        if (reply.status() == 201) {
            acknowledged.add(reply.json());
        } else {
            failures.add(matchId + ": " + reply);
        }
    }

    boolean awaitGate() {
        try {
            return gate.reached.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static JsonNode projection(LedgerClient admin, String name) {
        for (JsonNode projection : admin.get("/api/admin/projections").json()) {
            if (projection.get("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    static boolean anyRebuilding(LedgerClient admin) {
        for (JsonNode projection : admin.get("/api/admin/projections").json()) {
            if (projection.get("rebuilding").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    static void awaitCaughtUp(LedgerClient admin) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (JsonNode projection : admin.get("/api/admin/projections").json()) {
                assertThat(projection.get("lagEvents").asLong())
                        .as(projection.toString())
                        .isZero();
                assertThat(projection.get("rebuilding").asBoolean())
                        .as(projection.toString())
                        .isFalse();
            }
        });
    }
}
