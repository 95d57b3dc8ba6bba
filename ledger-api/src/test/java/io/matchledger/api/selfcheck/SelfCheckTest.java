package io.matchledger.api.selfcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The self-check on the real service (H2, the real processor): rows of each read model are spoiled by hand, as a
 * skipped event or a lost write would leave them; a round finds each (report, health {@code DIVERGED}, metric), sends
 * a repair through the store, and a later round finds the rows equal to the events again, the verification clean.
 * The rounds are run by the test (the schedule is an hour), so each step is seen as it happens.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ledger.self-check.interval=1h", "ledger.self-check.sweep=5"})
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
class SelfCheckTest {

    @LocalServerPort
    int port;

    @Autowired
    SelfCheck check;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aDivergencePlantedInEachReadModelIsFoundReportedAndRepaired() {
        LedgerClient admin = new LedgerClient(port);
        for (String player : new String[] {"sc-a", "sc-b", "sc-c"}) {
            assertThat(admin.registerPlayer(player, player.toUpperCase()).status())
                    .isEqualTo(201);
        }
        assertThat(admin.win("sc-m1", "sc-a", "sc-b").status()).isEqualTo(201);
        assertThat(admin.draw("sc-m2", "sc-b", "sc-c").status()).isEqualTo(201);
        assertThat(admin.win("sc-m3", "sc-c", "sc-a").status()).isEqualTo(201);
        assertThat(admin.adjust("sc-b", "sc-adj-1", 4, "bonus").status()).isEqualTo(201);
        // A rename moves the standing's sequence, not the history's: neither is a divergence.
        assertThat(admin.registerPlayer("sc-c", "Sea").status() / 100).isEqualTo(2);
        assertThat(admin.post("/api/matches/sc-m3/void", "{\"reason\":\"replayed\"}")
                                .status()
                        / 100)
                .isEqualTo(2);
        Map<String, Long> totals = Map.of("sc-a", 3L, "sc-b", 5L, "sc-c", 1L);
        awaitClean(totals);
        SelfCheck.Report clean = check.report();
        assertThat(clean.divergencesFound()).isZero();
        assertThat(clean.compared()).isGreaterThanOrEqualTo(3 + 3);
        assertThat(health(admin).get("status").asText()).isEqualTo("UP");

        // What a skipped event leaves: a standing short of a match (its sequence moved on), a history without an
        // entry, a match missing, a void not shown.
        jdbc.update("update player_standing set points = points - 3, wins = wins - 1 where player_id = 'sc-a'");
        jdbc.update("delete from ledger_entry where player_id = 'sc-b' and sequence = 2");
        jdbc.update("delete from match_record where match_id = 'sc-m1'");
        jdbc.update("update match_record set voided = false where match_id = 'sc-m3'");
        assertThat(admin.pointsOf("sc-a")).isZero();

        SelfCheck.Report found = roundUntil(report -> report.unrepairedCount() == 4);
        assertThat(found.unrepaired())
                .containsExactlyInAnyOrder("match:sc-m1", "match:sc-m3", "player:sc-a", "player:sc-b");
        assertThat(found.divergencesFound()).isEqualTo(4);
        assertThat(found.repairsSent()).isEqualTo(4);
        JsonNode health = health(admin);
        assertThat(health.get("status").asText()).isEqualTo("DIVERGED");
        assertThat(health.at("/components/selfCheck/details/unrepairedCount").asInt())
                .isEqualTo(4);
        assertThat(admin.get("/actuator/prometheus").body())
                .containsPattern("ledger_self_check_divergences_total(\\{[^}]*})? 4\\.0")
                .containsPattern("ledger_self_check_unrepaired(\\{[^}]*})? 4\\.0");

        SelfCheck.Report repaired = roundUntil(report -> report.unrepairedCount() == 0);
        assertThat(repaired.repaired()).isEqualTo(4);
        assertThat(repaired.repairsSent()).isEqualTo(4);
        awaitClean(totals);
        assertThat(jdbc.queryForObject("select wins from player_standing where player_id = 'sc-a'", Long.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from ledger_entry where player_id = 'sc-b'", Long.class))
                .isEqualTo(3);
        assertThat(admin.get("/api/matches/sc-m1").status()).isEqualTo(200);
        assertThat(admin.get("/api/matches/sc-m3").json().get("voided").asBoolean())
                .isTrue();
        assertThat(health(admin).get("status").asText()).isEqualTo("UP");
        // Repaired rows are whole rows: the tally of totals (ranks) agrees with the standings.
        assertThat(jdbc.queryForList(
                        "select s.points from player_standing s left join points_tally t on t.points = s.points "
                                + "where t.players is null or t.players < 1",
                        Long.class))
                .isEmpty();
        assertThat(jdbc.queryForObject("select sum(players) from points_tally", Long.class))
                .isEqualTo(jdbc.queryForObject("select count(*) from player_standing", Long.class));
    }

    /** Every total as the ledger says, the verification clean, and the check has compared everything since. */
    private void awaitClean(Map<String, Long> totals) {
        LedgerClient admin = new LedgerClient(port);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            totals.forEach((player, points) ->
                    assertThat(admin.pointsOf(player)).as(player).isEqualTo(points));
            assertThat(admin.get("/api/audit/verify").json().get("mismatches")).isEmpty();
            SelfCheck.Report report = check.round();
            assertThat(report.unrepairedCount()).isZero();
        });
    }

    private SelfCheck.Report roundUntil(java.util.function.Predicate<SelfCheck.Report> done) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(check::round, done);
    }

    private JsonNode health(LedgerClient admin) {
        return admin.get("/actuator/health").json();
    }
}
