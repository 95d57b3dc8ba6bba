package io.matchledger.api.admin;

import static io.matchledger.api.admin.ProjectionRebuildTest.awaitCaughtUp;
import static io.matchledger.api.admin.ProjectionRebuildTest.projection;
import static io.matchledger.api.admin.ProjectionRebuildTest.recordOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.api.TestAccounts;
import io.matchledger.api.eventtable.StoredEvents;
import io.matchledger.projections.StandingsRebuild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.util.AopTestUtils;

/**
 * The standings, run by their projection alone (no other handler in the group, unlike {@link ProjectionRebuildTest}),
 * are rebuilt in memory and swapped in whole: the model a dashboard reads is never a partly rebuilt one, and the
 * rebuilt model is the live one, row for row.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext
class InMemoryRebuildTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** Slowed at the start of a rebuild's read, so that the live model gets well ahead of the history being folded. */
    @MockitoSpyBean
    StoredEvents events;

    /** Watched at the swap: no total may be lower in the rows swapped in than in the rows they replace. */
    @MockitoSpyBean
    StandingsRebuild rebuild;

    final List<String> takenBack = new CopyOnWriteArrayList<>();

    @BeforeEach
    void watchTheSwap() throws Exception {
        doAnswer(read -> {
                    if (Thread.currentThread().getName().startsWith("ledger-rebuild")
                            && (long) read.getArgument(0) == 0) {
                        Thread.sleep(500);
                    }
                    return read.callRealMethod();
                })
                .when(AopTestUtils.<StoredEvents>getUltimateTargetObject(events))
                .read(anyLong(), anyLong(), anyLong(), any());
        doAnswer(swap -> {
                    // The swap's own transaction: the rows before it, then the rows it leaves.
                    Map<String, Long> before = points();
                    swap.callRealMethod();
                    points().forEach((player, points) -> {
                        if (points < before.getOrDefault(player, 0L)) {
                            takenBack.add(player + ": " + before.get(player) + " -> " + points);
                        }
                    });
                    return null;
                })
                .when(AopTestUtils.<StandingsRebuild>getUltimateTargetObject(rebuild))
                .replaceWith(any());
    }

    private Map<String, Long> points() {
        Map<String, Long> points = new HashMap<>();
        jdbc.query("select player_id, points from player_standing", row -> {
            points.put(row.getString(1), row.getLong(2));
        });
        return points;
    }

    @Test
    void aRebuildOnAQuietLedgerGivesBackTheSameRowsAndTellsNoReaderItIsPartial() {
        LedgerClient admin = new LedgerClient(port);
        List<String> players = List.of("qr-a", "qr-b", "qr-c", "qr-d");
        players.forEach(player -> assertThat(
                        admin.registerPlayer(player, player.toUpperCase()).status())
                .isEqualTo(201));
        assertThat(admin.adjust("qr-c", "qr-c-opening", 40, "opening balance").status())
                .isEqualTo(201);
        for (int i = 0; i < 60; i++) {
            String first = players.get(i % 4);
            String second = players.get((i + 1 + (i / 4) % 3) % 4);
            Reply reply = i % 3 == 0 ? admin.draw("qr-" + i, first, second) : admin.win("qr-" + i, first, second);
            assertThat(reply.status()).isEqualTo(201);
        }
        assertThat(admin.post("/api/matches/qr-7/void", "{\"reason\":\"replayed by mistake\"}")
                        .status())
                .isEqualTo(201);
        awaitCaughtUp(admin);
        List<Map<String, Object>> standings = jdbc.queryForList("select * from player_standing order by player_id");
        List<Map<String, Object>> tallies =
                jdbc.queryForList("select points, players from points_tally where players <> 0 order by points");

        Reply started = admin.post("/api/admin/projections/standings/rebuild", "");

        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.json().get("replaying").asBoolean())
                .as("the live model stays whole")
                .isFalse();
        assertThat(started.header(RebuildingHeader.NAME)).isEmpty();
        awaitCaughtUp(admin);
        assertThat(jdbc.queryForList("select * from player_standing order by player_id"))
                .isEqualTo(standings);
        assertThat(jdbc.queryForList("select points, players from points_tally where players <> 0 order by points"))
                .isEqualTo(tallies);
        JsonNode status = projection(admin, "standings");
        assertThat(status.get("rebuilding").asBoolean()).isFalse();
        assertThat(status.get("position").asLong()).isEqualTo(status.get("head").asLong());
    }

    @Test
    void duringALoadOfMatchesReadersNeverSeeAPartModelAndTheRebuildEndsWithTheAcknowledgedMatches() throws Exception {
        LedgerClient admin = new LedgerClient(port);
        LedgerClient dashboard = TestAccounts.READER.client(port);
        List<String> players = new ArrayList<>();
        Map<String, Long> model = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String player = "im-" + i;
            players.add(player);
            assertThat(admin.registerPlayer(player, "Load " + i).status()).isEqualTo(201);
            model.put(player, 0L);
        }
        ConcurrentLinkedQueue<JsonNode> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger matchIds = new AtomicInteger(100_000);
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = 7 + t;
            load.add(threads.submit(() -> {
                LedgerClient recorder = TestAccounts.RECORDER.client(port);
                Random random = new Random(seed);
                while (loading.get()) {
                    recordOne(recorder, players, random, matchIds, acknowledged, failures);
                }
            }));
        }
        int readsDuringRebuild = 0;
        // A failure below must not leave the writers running into the next test.
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1_000);

            // Points only grow in this load, so a reader that ever sees a total go down saw a partly rebuilt model.
            Map<String, Long> seen = new HashMap<>();
            players.forEach(player -> seen.put(player, admin.pointsOf(player)));
            Reply started = admin.post("/api/admin/projections/standings/rebuild", "");
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            do {
                for (String player : players) {
                    Reply read = dashboard.get("/api/players/" + player);
                    assertThat(read.status()).as(player).isEqualTo(200);
                    assertThat(read.header(RebuildingHeader.NAME)).isEmpty();
                    long points = read.json().get("points").asLong();
                    assertThat(points).as(player + " never goes back").isGreaterThanOrEqualTo(seen.get(player));
                    seen.put(player, points);
                    readsDuringRebuild++;
                }
                JsonNode verify = admin.get("/api/audit/verify").json();
                assertThat(verify.get("mismatches")).as(verify.toString()).isEmpty();
            } while (projection(admin, "standings").get("rebuilding").asBoolean());
            int acknowledgedAtTheEnd = acknowledged.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= acknowledgedAtTheEnd + 200);
            loading.set(false);
            for (Future<?> thread : load) {
                thread.get(1, TimeUnit.MINUTES);
            }
        } finally {
            loading.set(false);
            threads.shutdown();
        }

        assertThat(takenBack).as("totals the swap took back").isEmpty();
        assertThat(failures).isEmpty();
        for (JsonNode match : acknowledged) {
            match.get("players")
                    .forEach(share -> model.merge(
                            share.get("playerId").asText(), share.get("points").asLong(), Long::sum));
        }
        awaitCaughtUp(admin);
        for (String player : players) {
            assertThat(admin.pointsOf(player)).as(player).isEqualTo(model.get(player));
        }
        JsonNode verify = admin.get("/api/audit/verify").json();
        assertThat(verify.get("mismatches")).as(verify.toString()).isEmpty();
        assertThat(verify.get("totalAfterBreaks")).as(verify.toString()).isEmpty();
        System.out.printf(
                "in-memory rebuild under load: %d matches acknowledged, %d reads during the rebuild%n",
                acknowledged.size(), readsDuringRebuild);
    }
}
