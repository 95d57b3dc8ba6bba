package io.matchledger.api.admin;

import static io.matchledger.api.admin.ProjectionRebuildTest.awaitCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.matchledger.api.LedgerClient;
import io.matchledger.projections.StandingsRebuild;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * The standings outgrow what the in-memory rebuild may hold (two players here, three in the ledger, with events for
 * the third): the rebuild falls back to a replay through the processor, which still repairs the model.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.projections.rebuild-in-memory-players=2")
@ActiveProfiles("test")
@DirtiesContext
class InMemoryRebuildFallbackTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @MockitoSpyBean
    StandingsRebuild rebuild;

    @Test
    void aModelThatDoesNotFitInMemoryIsRebuiltByReplayInstead() {
        LedgerClient admin = new LedgerClient(port);
        for (String player : List.of("fb-a", "fb-b", "fb-c")) {
            assertThat(admin.registerPlayer(player, player.toUpperCase()).status())
                    .isEqualTo(201);
        }
        assertThat(admin.win("fb-1", "fb-c", "fb-a").status()).isEqualTo(201);
        assertThat(admin.draw("fb-2", "fb-b", "fb-c").status()).isEqualTo(201);
        assertThat(admin.adjust("fb-c", "fb-c-bonus", 5, "bonus").status()).isEqualTo(201);
        awaitCaughtUp(admin);
        List<Map<String, Object>> standings = jdbc.queryForList("select * from player_standing order by player_id");
        // A damaged read model, which is what a rebuild is for: only a rebuild that really ran repairs it.
        jdbc.update("update player_standing set points = 1000 where player_id = 'fb-c'");

        assertThat(admin.post("/api/admin/projections/standings/rebuild", "").status())
                .isEqualTo(202);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(jdbc.queryForList("select * from player_standing order by player_id"))
                        .isEqualTo(standings));
        awaitCaughtUp(admin);
        assertThat(admin.pointsOf("fb-c")).isEqualTo(9);
        verify(rebuild, never()).replaceWith(any());
    }
}
