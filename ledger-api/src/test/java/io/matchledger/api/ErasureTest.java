package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.projections.Rebuildable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The right to erasure over HTTP, in the shared test ledger (ADR 0019): what an erasure answers, what it refuses,
 * what the id may do afterwards, and that a rebuild of every projection gives the same rows, the name in none of
 * them. The whole scenario with a sealed season, the live streams and the log of a real process is
 * {@code ErasureIT}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ErasureTest {

    static final String REASON = "GDPR art. 17, request 2026-0042";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    List<Rebuildable> projections;

    /** Ids of this test's own, so that the shared ledger's other tests never meet them. */
    final String run = "er" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void anErasureIsAnsweredOnceEveryReadShowsItAndAgainWithItsFirstAnswer() {
        LedgerClient admin = new LedgerClient(port);
        LedgerClient reader = TestAccounts.READER.client(port);
        String ada = run + "-a";
        String bob = run + "-b";
        assertThat(admin.registerPlayer(ada, "Ada Lovelace").status()).isEqualTo(201);
        assertThat(admin.registerPlayer(bob, "Bob").status()).isEqualTo(201);
        assertThat(admin.win(run + "-m1", ada, bob).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> reader.get("/api/players/" + ada).status() == 200);

        Reply erased = erase(admin, ada, "  " + REASON + " ");

        assertThat(erased.status()).as(erased.toString()).isEqualTo(201);
        assertThat(erased.header("Location")).contains("/api/players/" + ada);
        JsonNode answer = erased.json();
        assertThat(answer.get("name").asText()).isEqualTo("Erased player");
        assertThat(answer.get("reason").asText()).isEqualTo(REASON);
        assertThat(erased.header("Ledger-Position"))
                .contains(answer.get("position").asText());
        // No minPosition, no waiting: the answer came once the read model showed it.
        JsonNode player = reader.get("/api/players/" + ada).json();
        assertThat(player.get("name").asText()).isEqualTo("Erased player");
        assertThat(player.get("points").asLong()).isEqualTo(3);
        assertThat(reader.get("/api/players/" + bob).json().get("name").asText())
                .isEqualTo("Bob");

        Reply again = erase(admin, ada, "sent twice");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("reason").asText()).isEqualTo(REASON);
        assertThat(again.json().get("erasedAt")).isEqualTo(answer.get("erasedAt"));
    }

    @Test
    void theErasedIdIsRetiredForRegistrationsAndNewMatchesButItsHistoryStands() {
        LedgerClient admin = new LedgerClient(port);
        String ada = run + "-a";
        String bob = run + "-b";
        String cy = run + "-c";
        for (String id : List.of(ada, bob, cy)) {
            assertThat(admin.registerPlayer(id, "Player " + id).status()).isEqualTo(201);
        }
        assertThat(admin.win(run + "-m1", ada, bob).status()).isEqualTo(201);
        assertThat(erase(admin, ada, REASON).status()).isEqualTo(201);

        assertProblem(admin.registerPlayer(ada, "Player " + ada), 409, "/problems/player-erased");
        assertProblem(admin.registerPlayer(ada, "Someone Else"), 409, "/problems/player-erased");
        assertProblem(admin.win(run + "-m2", bob, ada), 409, "/problems/player-erased");
        assertProblem(admin.draw(run + "-m3", ada, cy), 409, "/problems/player-erased");
        // A retry of a match recorded before is still a retry.
        assertThat(admin.win(run + "-m1", ada, bob).status()).isEqualTo(200);
        // In a batch, that match alone.
        Reply batch = admin.post(
                "/api/matches/batch",
                "{\"matches\":[{\"matchId\":\"" + run + "-m4\",\"winner\":\"" + bob + "\",\"loser\":\"" + ada
                        + "\"},{\"matchId\":\"" + run + "-m5\",\"winner\":\"" + bob + "\",\"loser\":\"" + cy + "\"}]}");
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.json().at("/results/0/status").asInt()).isEqualTo(409);
        assertThat(batch.json().at("/results/0/body/type").asText()).isEqualTo("/problems/player-erased");
        assertThat(batch.json().at("/results/1/status").asInt()).isEqualTo(201);
        // A player on the web cannot declare a match with them either.
        LedgerClient player = TestAccounts.PLAYER.client(port);
        assertThat(admin.registerPlayer(TestAccounts.PLAYER.user(), "Matrix Player")
                        .status())
                .isIn(200, 201);
        assertProblem(
                player.post(
                        "/api/me/matches",
                        "{\"matchId\":\"" + run + "-m6\",\"opponentId\":\"" + ada + "\",\"result\":\"DRAW\"}"),
                409,
                "/problems/player-erased");
        // Corrections of the ledger still go through: they correct what the other players' totals stand on.
        assertThat(admin.post("/api/matches/" + run + "-m1/void", "{\"reason\":\"bugged map\"}")
                        .status())
                .isEqualTo(201);
        assertThat(admin.adjust(ada, run + "-adj", 2, "compensation").status()).isEqualTo(201);
    }

    @Test
    void whatAnErasureRefusesChangesNothing() {
        LedgerClient admin = new LedgerClient(port);
        String ada = run + "-a";
        assertThat(admin.registerPlayer(ada, "Ada Lovelace").status()).isEqualTo(201);
        long events = events();

        assertProblem(erase(admin, run + "-nobody", REASON), 404, "/problems/not-found");
        // The reason is kept for good: it must not name the player, and the refusal does not repeat the name.
        Reply naming = erase(admin, ada, "requested by ADA LOVELACE herself");
        assertProblem(naming, 422, "/problems/rule-broken");
        assertThat(naming.body()).doesNotContainIgnoringCase("lovelace");
        Reply blank = erase(admin, ada, " ");
        assertProblem(blank, 400, "/problems/validation");
        assertThat(blank.json().at("/errors/0/field").asText()).isEqualTo("reason");
        assertProblem(
                TestAccounts.AUDITOR.client(port).post("/api/players/" + ada + "/erasure", "{\"reason\":\"x\"}"),
                403,
                "/problems/forbidden");

        assertThat(events()).isEqualTo(events);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(TestAccounts.READER
                                .client(port)
                                .get("/api/players/" + ada)
                                .json()
                                .get("name")
                                .asText())
                        .isEqualTo("Ada Lovelace"));
    }

    @Test
    void aRebuildOfEveryProjectionAfterAnErasureGivesTheSameRowsAndNeverTheName() {
        LedgerClient admin = new LedgerClient(port);
        String ada = run + "-a";
        String bob = run + "-b";
        // Names of this test alone: the shared ledger holds other Adas, which nothing here erases.
        String surname = "Lovelace" + UUID.randomUUID().toString().substring(0, 6);
        String married = "King" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(admin.registerPlayer(ada, "Ada " + surname).status()).isEqualTo(201);
        assertThat(admin.registerPlayer(bob, "Bob").status()).isEqualTo(201);
        assertThat(admin.adjust(ada, run + "-open", 10, "opening balance").status())
                .isEqualTo(201);
        assertThat(admin.win(run + "-m1", ada, bob).status()).isEqualTo(201);
        assertThat(admin.registerPlayer(ada, "Ada " + married).status()).isEqualTo(200);
        assertThat(admin.draw(run + "-m2", bob, ada).status()).isEqualTo(201);
        assertThat(admin.post("/api/matches/" + run + "-m2/void", "{\"reason\":\"bugged map\"}")
                        .status())
                .isEqualTo(201);
        assertThat(erase(admin, ada, REASON).status()).isEqualTo(201);
        awaitEveryProjectionAtTheHead(admin);
        Map<String, List<Map<String, Object>>> before = readModel();
        assertThat(before.toString()).doesNotContain(surname, married).contains("Erased player");

        for (JsonNode projection : admin.get("/api/admin/projections").json()) {
            if (projection.get("name").asText().equals("webhooks")) {
                // Listed for its lag and state, never rebuilt (ADR 0017): a replay would deliver everything again.
                // It holds no names.
                continue;
            }
            Reply started = admin.post(
                    "/api/admin/projections/" + projection.get("name").asText() + "/rebuild", "");
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(2)).until(() -> !rebuilding(admin));
        }
        awaitEveryProjectionAtTheHead(admin);

        Map<String, List<Map<String, Object>>> after = readModel();
        assertThat(after).isEqualTo(before);
        JsonNode player =
                TestAccounts.READER.client(port).get("/api/players/" + ada).json();
        assertThat(player.get("name").asText()).isEqualTo("Erased player");
        assertThat(player.get("points").asLong()).isEqualTo(13);
    }

    /**
     * Every row of every read-model table, in the order of all its columns: every column but {@code version}, which
     * counts the batches that wrote a row, and no tally of nobody (a live tally keeps a total nobody stands at any
     * more; a rebuild never writes one), as ProjectionRebuildTest compares them.
     */
    private Map<String, List<Map<String, Object>>> readModel() {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        for (Rebuildable projection : projections) {
            for (String table : projection.tables()) {
                List<String> columns = jdbc.queryForList(
                        "select lower(column_name) from information_schema.columns where lower(table_name) = ? "
                                + "and lower(column_name) <> 'version' order by column_name",
                        String.class,
                        table);
                String select = String.join(", ", columns);
                String tally = columns.contains("players") ? " where players <> 0" : "";
                rows.put(
                        table,
                        new ArrayList<>(jdbc.queryForList(
                                "select " + select + " from " + table + tally + " order by " + select)));
            }
        }
        return rows;
    }

    private static boolean rebuilding(LedgerClient admin) {
        for (JsonNode projection : admin.get("/api/admin/projections").json()) {
            if (projection.get("rebuilding").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static void awaitEveryProjectionAtTheHead(LedgerClient admin) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (JsonNode projection : admin.get("/api/admin/projections").json()) {
                assertThat(projection.get("lagEvents").asLong())
                        .as("%s", projection)
                        .isZero();
            }
        });
    }

    private long events() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }

    static Reply erase(LedgerClient admin, String playerId, String reason) {
        return admin.post("/api/players/" + playerId + "/erasure", "{\"reason\":\"" + reason + "\"}");
    }

    static void assertProblem(Reply reply, int status, String type) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.contentType()).as(reply.toString()).startsWith("application/problem+json");
        assertThat(reply.json().get("type").asText()).as(reply.toString()).isEqualTo(type);
    }
}
