package io.matchledger.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * A rebuild that spans many batches (of 10 events here, against the 1,000 of a real one) gives the rows of the live
 * model, column for column: the standings and the players' history counts, held in memory from batch to batch and
 * written once before the swap (ADR 0012), and the matches and seasons, written batch by batch. Every player appears
 * in dozens of batches, with voids of matches of earlier batches, adjustments and a rename among them.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.projections.rebuild-batch-size=10")
@ActiveProfiles("test")
@DirtiesContext
class ManyBatchRebuildTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aRebuildOfManyBatchesEndsWithTheRowsOfTheLiveModel() {
        LedgerClient admin = new LedgerClient(port);
        Instant now = Instant.now();
        assertThat(admin.put(
                                "/api/seasons/mb-season",
                                "{\"name\":\"Many batches\",\"start\":\"" + now.minus(Duration.ofDays(1))
                                        + "\",\"end\":\"" + now.plus(Duration.ofDays(1)) + "\"}")
                        .status())
                .isEqualTo(201);
        List<String> players = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String player = "mb-" + i;
            players.add(player);
            assertThat(admin.registerPlayer(player, "Player " + i).status()).isEqualTo(201);
        }
        Random random = new Random(25);
        for (int i = 0; i < 240; i++) {
            String first = players.get(random.nextInt(players.size()));
            String second = players.get(random.nextInt(players.size()));
            if (first.equals(second)) {
                continue;
            }
            Reply reply = i % 4 == 0 ? admin.draw("mb-m" + i, first, second) : admin.win("mb-m" + i, first, second);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            if (i % 37 == 0) {
                Reply adjusted = admin.adjust(first, "mb-a" + i, 5, "bonus");
                assertThat(adjusted.status()).as(adjusted.toString()).isEqualTo(201);
            }
        }
        for (String voided : List.of("mb-m1", "mb-m2", "mb-m50", "mb-m238")) {
            Reply reply = admin.post("/api/matches/" + voided + "/void", "{\"reason\":\"entered twice\"}");
            assertThat(reply.status()).as(voided + ": " + reply).isIn(201, 404);
        }
        assertThat(admin.registerPlayer("mb-3", "Renamed Three").status()).isIn(200, 201);
        ProjectionRebuildTest.awaitCaughtUp(admin);
        Map<String, List<Map<String, Object>>> live = rows();
        assertThat(live.get("player_standing")).hasSize(12);
        assertThat(live.get("ledger_entry").size()).isGreaterThan(400);

        for (String name : List.of("standings", "matches", "history")) {
            Reply rebuild = admin.post("/api/admin/projections/" + name + "/rebuild", "");
            assertThat(rebuild.status()).as(rebuild.toString()).isEqualTo(202);
            ProjectionRebuildTest.awaitCaughtUp(admin);
            assertThat(rows()).as("after rebuilding " + name).isEqualTo(live);
        }
    }

    /** Every row of every read-model table in key order, every column but {@code version} (it counts batches). */
    private Map<String, List<Map<String, Object>>> rows() {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        rows.put("player_standing", jdbc.queryForList("select * from player_standing order by player_id"));
        rows.put(
                "points_tally",
                jdbc.queryForList("select points, players from points_tally where players <> 0 order by points"));
        rows.put(
                "match_record",
                jdbc.queryForList("select match_id, outcome, first_player_id, first_result, first_points, "
                        + "second_player_id, second_result, second_points, occurred_at, recorded_at, voided, "
                        + "voided_at, season_id, season_late, void_late from match_record order by match_id"));
        rows.put(
                "player_history",
                jdbc.queryForList("select player_id, matches, last_sequence from player_history order by player_id"));
        rows.put(
                "ledger_entry",
                jdbc.queryForList(
                        "select player_id, sequence, kind, match_number, match_id, adjustment_id, opponent_id, "
                                + "result, points, total_after, voided, reason, occurred_at, recorded_at "
                                + "from ledger_entry order by player_id, sequence"));
        rows.put("season_standing", jdbc.queryForList("select * from season_standing order by 1, 2"));
        return rows;
    }
}
