package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The bug this service exists for: Enemy's stale window declares a draw after Lubien's ten losses. A client that
 * computed {@code 72 + 1} from its cache would lose 30 points; the ledger derives totals from events only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class TwoWindowScenarioTest {

    @LocalServerPort
    int port;

    @Test
    void staleWindowDrawNeverLosesThePointsOfTheTenLosses() {
        LedgerClient client = new LedgerClient(port);
        assertThat(client.registerPlayer("lubien", "Lubien").status()).isEqualTo(201);
        assertThat(client.registerPlayer("enemy", "Enemy").status()).isEqualTo(201);
        assertThat(client.adjust("lubien", "opening-lubien", 104, "opening balance")
                        .status())
                .isEqualTo(201);
        assertThat(client.adjust("enemy", "opening-enemy", 72, "opening balance")
                        .status())
                .isEqualTo(201);

        // Window A: Lubien concedes ten losses to Enemy.
        Reply last = null;
        for (int i = 1; i <= 10; i++) {
            last = client.win("loss-" + i, "enemy", "lubien");
            assertThat(last.status()).isEqualTo(201);
        }
        assertThat(totalIn(last, "enemy")).isEqualTo(102);
        assertThat(totalIn(last, "lubien")).isEqualTo(104);

        // Window B, opened before the losses and never refreshed, declares a draw. It sends no totals at all.
        Reply draw = client.draw("draw-1", "enemy", "lubien");
        assertThat(draw.status()).isEqualTo(201);
        assertThat(totalIn(draw, "lubien")).isEqualTo(105);
        assertThat(totalIn(draw, "enemy")).isEqualTo(103);

        // The window retries its click: counted once, same answer.
        Reply retry = client.draw("draw-1", "enemy", "lubien");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(totalIn(retry, "enemy")).isEqualTo(103);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(client.pointsOf("lubien")).isEqualTo(105);
            assertThat(client.pointsOf("enemy")).isEqualTo(103);
        });
        JsonNode enemy = client.get("/api/players/enemy").json();
        assertThat(enemy.get("wins").asLong()).isEqualTo(10);
        assertThat(enemy.get("draws").asLong()).isEqualTo(1);
        assertThat(enemy.get("matches").asLong()).isEqualTo(11);
        JsonNode lubien = client.get("/api/players/lubien").json();
        assertThat(lubien.get("losses").asLong()).isEqualTo(10);
        assertThat(lubien.get("rank").asLong()).isLessThan(enemy.get("rank").asLong());
    }

    static long totalIn(Reply matchReply, String playerId) {
        for (JsonNode player : matchReply.json().get("players")) {
            if (player.get("playerId").asText().equals(playerId)) {
                return player.get("total").asLong();
            }
        }
        throw new AssertionError(playerId + " not in " + matchReply);
    }
}
