package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Stop the service and start it on the same H2 files: totals, leaderboard and idempotency keys all survive. */
class RestartTest {

    static final List<String> PLAYERS = List.of("ada", "bo", "cy", "di", "ed");

    @Test
    void totalsLeaderboardAndIdempotencySurviveARestart(@TempDir Path dataDir) {
        Map<String, Long> pointsBefore = new HashMap<>();
        JsonNode leaderboardBefore;
        try (ConfigurableApplicationContext app = start(dataDir)) {
            LedgerClient client = new LedgerClient(port(app));
            PLAYERS.forEach(
                    p -> assertThat(client.registerPlayer(p, p.toUpperCase()).status())
                            .isEqualTo(201));
            assertThat(client.adjust("ed", "ed-opening", 7, "opening balance").status())
                    .isEqualTo(201);
            PLAYERS.forEach(p -> pointsBefore.put(p, p.equals("ed") ? 7L : 0L));
            for (int i = 0; i < 40; i++) {
                String first = PLAYERS.get(i % 5);
                String second = PLAYERS.get((i * 3 + 1) % 5);
                if (first.equals(second)) {
                    continue;
                }
                Reply reply = i % 4 == 0 ? client.draw("r-" + i, first, second) : client.win("r-" + i, first, second);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
                for (String player : List.of(first, second)) {
                    pointsBefore.put(player, TwoWindowScenarioTest.totalIn(reply, player));
                }
            }
            // Wait until the read model shows what the ledger answered, then take its picture.
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> PLAYERS.forEach(
                            p -> assertThat(client.pointsOf(p)).as(p).isEqualTo(pointsBefore.get(p))));
            leaderboardBefore = client.get("/api/leaderboard").json();
            assertThat(pointsBefore.values().stream().mapToLong(Long::longValue).sum())
                    .as("points in the system before restart")
                    .isPositive();
        }

        try (ConfigurableApplicationContext app = start(dataDir)) {
            LedgerClient client = new LedgerClient(port(app));
            PLAYERS.forEach(p -> assertThat(client.pointsOf(p)).as(p).isEqualTo(pointsBefore.get(p)));
            assertThat(client.get("/api/leaderboard").json()).isEqualTo(leaderboardBefore);

            // The idempotency keys live in the event store, not in a cache that a restart empties.
            // r-1 was bo beating ed (i = 1: players 1 and 4).
            assertThat(client.win("r-1", "bo", "ed").status()).isEqualTo(200);
            assertThat(client.win("r-1", "ed", "bo").status()).isEqualTo(409);
            assertThat(client.adjust("ed", "ed-opening", 7, "opening balance").status())
                    .isEqualTo(200);

            // New matches continue from the stored totals, not from zero.
            Reply next = client.win("after-restart", "ada", "bo");
            assertThat(next.status()).isEqualTo(201);
            assertThat(TwoWindowScenarioTest.totalIn(next, "ada")).isEqualTo(pointsBefore.get("ada") + 3);
        }
    }

    static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .profiles("test") // its accounts; the data directory below replaces its own
                .run("--server.port=0", "--ledger.data-dir=" + dataDir, "--logging.level.root=warn");
    }

    static int port(ConfigurableApplicationContext app) {
        return app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
