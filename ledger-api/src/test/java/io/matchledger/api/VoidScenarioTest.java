package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The two-window scenario of the contract, then a correction: one of Lubien's ten losses is voided. Enemy loses the
 * three points of that match (100), Lubien keeps 105 (a loss gave nothing to take back), the match stays in both
 * histories marked voided, and the totals at any instant before the void are still what they were.
 * <p>
 * Players and matches carry a prefix of their own: the application context, and its ledger, are shared with the other
 * HTTP tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class VoidScenarioTest {

    static final Duration CATCH_UP = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void voidingOneOfTheTenLossesGivesEnemy100AndLeavesLubienAt105() {
        LedgerClient client = new LedgerClient(port);
        assertThat(client.registerPlayer("v-lubien", "Lubien").status()).isEqualTo(201);
        assertThat(client.registerPlayer("v-enemy", "Enemy").status()).isEqualTo(201);
        assertThat(client.adjust("v-lubien", "v-opening-lubien", 104, "opening balance")
                        .status())
                .isEqualTo(201);
        assertThat(client.adjust("v-enemy", "v-opening-enemy", 72, "opening balance")
                        .status())
                .isEqualTo(201);
        for (int i = 1; i <= 10; i++) {
            assertThat(client.win("v-loss-" + i, "v-enemy", "v-lubien").status())
                    .isEqualTo(201);
        }
        Reply draw = client.draw("v-draw-1", "v-enemy", "v-lubien");
        assertThat(draw.status()).isEqualTo(201);
        assertThat(TwoWindowScenarioTest.totalIn(draw, "v-enemy")).isEqualTo(103);
        assertThat(TwoWindowScenarioTest.totalIn(draw, "v-lubien")).isEqualTo(105);
        Instant drawnAt = Instant.parse(draw.json().get("recordedAt").asText());

        Reply voided = voidMatch(client, "v-loss-3", "reported twice by the game server");

        assertThat(voided.status()).as(voided.toString()).isEqualTo(201);
        JsonNode answer = voided.json();
        assertThat(answer.get("matchId").asText()).isEqualTo("v-loss-3");
        assertThat(answer.get("reason").asText()).isEqualTo("reported twice by the game server");
        assertThat(share(answer, "v-enemy")).isEqualTo(new Share("WIN", -3, 100));
        assertThat(share(answer, "v-lubien")).isEqualTo(new Share("LOSS", 0, 105));
        Instant voidedAt = Instant.parse(answer.get("voidedAt").asText());
        assertThat(voidedAt).isAfter(drawnAt);

        // Idempotent by match id: the same void, or one with another reason, answers the first and appends nothing.
        long events = eventCount();
        Reply again = voidMatch(client, "v-loss-3", "reported twice by the game server");
        Reply otherReason = voidMatch(client, "v-loss-3", "another admin, another reason");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(answer);
        assertThat(otherReason.status()).isEqualTo(200);
        assertThat(otherReason.json()).isEqualTo(answer);
        assertThat(eventCount()).isEqualTo(events);
        // The game server retrying the voided match gets its original settlement, not a second match.
        Reply retry = client.win("v-loss-3", "v-enemy", "v-lubien");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(TwoWindowScenarioTest.totalIn(retry, "v-enemy")).isEqualTo(81);
        assertThat(eventCount()).isEqualTo(events);

        await().atMost(CATCH_UP).untilAsserted(() -> {
            assertThat(client.pointsOf("v-enemy")).isEqualTo(100);
            assertThat(client.pointsOf("v-lubien")).isEqualTo(105);
            assertThat(client.get("/api/players/v-enemy/matches")
                            .json()
                            .at("/items/0/matchId")
                            .asText())
                    .isEqualTo("v-draw-1");
            assertThat(client.get("/api/matches/v-loss-3").json().get("voided").asBoolean())
                    .isTrue();
        });
        // A voided match no longer counts as a win, a loss or a match.
        JsonNode enemy = client.get("/api/players/v-enemy").json();
        assertThat(List.of(
                        enemy.get("wins").asLong(),
                        enemy.get("draws").asLong(),
                        enemy.get("matches").asLong()))
                .containsExactly(9L, 1L, 10L);
        JsonNode lubien = client.get("/api/players/v-lubien").json();
        assertThat(List.of(
                        lubien.get("losses").asLong(),
                        lubien.get("draws").asLong(),
                        lubien.get("matches").asLong()))
                .containsExactly(9L, 1L, 10L);

        // Enemy's history keeps all eleven matches, newest first, with the loss of Lubien's third match marked.
        JsonNode history =
                client.get("/api/players/v-enemy/matches?page=0&size=50").json();
        assertThat(history.get("total").asLong()).isEqualTo(11);
        List<String> order = new ArrayList<>();
        history.get("items").forEach(item -> order.add(item.get("matchId").asText()));
        assertThat(order)
                .containsExactly(
                        "v-draw-1",
                        "v-loss-10",
                        "v-loss-9",
                        "v-loss-8",
                        "v-loss-7",
                        "v-loss-6",
                        "v-loss-5",
                        "v-loss-4",
                        "v-loss-3",
                        "v-loss-2",
                        "v-loss-1");
        for (JsonNode item : history.get("items")) {
            assertThat(item.get("voided").asBoolean())
                    .as(item.toString())
                    .isEqualTo(item.get("matchId").asText().equals("v-loss-3"));
        }
        JsonNode third = history.get("items").get(8);
        assertThat(third.get("opponentId").asText()).isEqualTo("v-lubien");
        assertThat(third.get("result").asText()).isEqualTo("WIN");
        assertThat(third.get("points").asInt()).isEqualTo(3);
        assertThat(third.get("totalAfter").asLong()).isEqualTo(81); // as recorded then: history is not rewritten
        assertThat(history.at("/items/0/totalAfter").asLong()).isEqualTo(103);

        // The total at an instant: 103 between the draw and the void, 100 from the void on. The reversal on Enemy's
        // ledger is the moment it changed; the void's answer is dated by the match's stream, written last in the same
        // unit of work, so as of voidedAt the void is always counted.
        Instant reversedAt =
                Instant.parse(lastEventOf(client, "v-enemy").get("timestamp").asText());
        assertThat(reversedAt).isAfter(drawnAt).isBeforeOrEqualTo(voidedAt);
        Instant between = drawnAt.plus(Duration.between(drawnAt, reversedAt).dividedBy(2));
        assertThat(pointsAsOf(client, "v-enemy", drawnAt)).isEqualTo(103);
        assertThat(pointsAsOf(client, "v-enemy", between)).isEqualTo(103);
        assertThat(pointsAsOf(client, "v-enemy", reversedAt.minusMillis(1))).isEqualTo(103);
        assertThat(pointsAsOf(client, "v-enemy", reversedAt)).isEqualTo(100);
        assertThat(pointsAsOf(client, "v-enemy", voidedAt)).isEqualTo(100);
        assertThat(pointsAsOf(client, "v-enemy", Instant.now().plusSeconds(60))).isEqualTo(100);
        assertThat(pointsAsOf(client, "v-lubien", between)).isEqualTo(105);
        assertThat(pointsAsOf(client, "v-enemy", drawnAt.minus(Duration.ofDays(1))))
                .isZero();
        Reply points = client.get("/api/players/v-enemy/points?asOf=" + between);
        assertThat(points.json().get("playerId").asText()).isEqualTo("v-enemy");
        assertThat(Instant.parse(points.json().get("asOf").asText())).isEqualTo(between);

        // The raw stream says the same, and who did it.
        JsonNode last = lastEventOf(client, "v-enemy");
        assertThat(last.get("type").asText()).isEqualTo("MatchVoided");
        assertThat(last.at("/payload/matchId").asText()).isEqualTo("v-loss-3");
        assertThat(last.at("/payload/points").asInt()).isEqualTo(-3);
        assertThat(last.at("/payload/totalAfter").asLong()).isEqualTo(100);
        assertThat(last.at("/payload/reason").asText()).isEqualTo("reported twice by the game server");
        assertThat(Instant.parse(last.get("timestamp").asText())).isEqualTo(reversedAt);
        assertThat(last.at("/metadata/principal").asText()).isEqualTo(TestAccounts.ADMIN.user());
    }

    @Test
    void aVoidThatWouldTakeATotalBelowZeroIsRefusedAndChangesNothing() {
        LedgerClient client = new LedgerClient(port);
        client.registerPlayer("v-spender", "Spender");
        client.registerPlayer("v-saver", "Saver");
        assertThat(client.win("v-spent", "v-spender", "v-saver").status()).isEqualTo(201);
        assertThat(client.adjust("v-spender", "v-spent-points", -3, "points spent in the shop")
                        .status())
                .isEqualTo(201);
        long events = eventCount();

        Reply refused = voidMatch(client, "v-spent", "bugged map");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("detail").asText()).contains("v-spender", "below zero");
        assertThat(eventCount()).isEqualTo(events);
        await().atMost(CATCH_UP)
                .untilAsserted(() -> assertThat(client.get("/api/players/v-spender/matches")
                                .json()
                                .at("/total")
                                .asLong())
                        .isEqualTo(1));
        assertThat(client.get("/api/matches/v-spent").json().get("voided").asBoolean())
                .isFalse();
        assertThat(client.get("/api/players/v-spender/matches")
                        .json()
                        .at("/items/0/voided")
                        .asBoolean())
                .isFalse();

        // An admin gives the points back first; then the void goes through and leaves the spender at zero.
        assertThat(client.adjust("v-spender", "v-refund", 3, "refund before the void")
                        .status())
                .isEqualTo(201);
        Reply accepted = voidMatch(client, "v-spent", "bugged map");
        assertThat(accepted.status()).isEqualTo(201);
        assertThat(share(accepted.json(), "v-spender")).isEqualTo(new Share("WIN", -3, 0));
    }

    @Test
    void aVoidOfAnUnknownMatchIsNotFound() {
        LedgerClient client = new LedgerClient(port);
        long events = eventCount();

        Reply unknown = voidMatch(client, "v-never-played", "typo");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(eventCount()).isEqualTo(events);
    }

    @Test
    void aVoidNeedsAReasonOfOneToFiveHundredCharacters() {
        LedgerClient client = new LedgerClient(port);
        client.registerPlayer("v-first", "First");
        client.registerPlayer("v-second", "Second");
        client.win("v-reasons", "v-first", "v-second");

        for (String body : List.of(
                "{}",
                "{\"reason\":\"\"}",
                "{\"reason\":\"   \"}",
                "{\"reason\":\"a\\nb\"}",
                "{\"reason\":\"" + "r".repeat(501) + "\"}",
                "{\"reason\":5}",
                "{\"reason\":\"ok\",\"extra\":1}",
                "[]")) {
            Reply reply = client.post("/api/matches/v-reasons/void", body);
            assertThat(reply.status()).as(body + " -> " + reply).isEqualTo(400);
        }
        assertThat(client.post("/api/matches/v%20bad/void", "{\"reason\":\"ok\"}")
                        .status())
                .isEqualTo(400);
        // The read model may not show the match yet; once it does, none of the refused voids reached it.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.get("/api/matches/v-reasons").status() == 200);
        assertThat(client.get("/api/matches/v-reasons").json().get("voided").asBoolean())
                .isFalse();
        assertThat(voidMatch(client, "v-reasons", "r".repeat(500)).status()).isEqualTo(201);
    }

    @Test
    void historyAndPointsRefuseWhatTheyCannotAnswer() {
        LedgerClient client = new LedgerClient(port);
        client.registerPlayer("v-reader", "Reader");
        await().atMost(CATCH_UP)
                .until(() -> client.get("/api/players/v-reader/matches").status() == 200);

        assertThat(client.get("/api/players/v-nobody/matches").status()).isEqualTo(404);
        assertThat(client.get("/api/players/v-nobody/points?asOf=2026-11-26T10:00:00Z")
                        .status())
                .isEqualTo(404);
        assertThat(client.get("/api/players/v-nobody/events").status()).isEqualTo(404);
        for (String query : List.of("size=0", "size=201", "page=-1", "size=abc")) {
            Reply reply = client.get("/api/players/v-reader/matches?" + query);
            assertThat(reply.status()).as(query + " -> " + reply).isEqualTo(400);
        }
        assertThat(client.get("/api/players/v-reader/matches?size=200").status())
                .isEqualTo(200);
        for (String asOf : List.of("", "yesterday", "2026-11-26", "2026-11-26T10:00:00", "1764151200")) {
            Reply reply = client.get("/api/players/v-reader/points?asOf=" + asOf);
            assertThat(reply.status()).as(asOf + " -> " + reply).isEqualTo(400);
            assertThat(reply.json().at("/errors/0/field").asText()).isEqualTo("asOf");
        }
        assertThat(client.get("/api/players/v-reader/points").status()).isEqualTo(400);
        assertThat(client.get("/api/players/v-reader/points?asOf=2026-11-26T10:00:00.5Z")
                        .json()
                        .get("points")
                        .asLong())
                .isZero();
        for (String query : List.of("limit=0", "limit=1001", "fromSequence=-1")) {
            Reply reply = client.get("/api/players/v-reader/events?" + query);
            assertThat(reply.status()).as(query + " -> " + reply).isEqualTo(400);
        }
    }

    @Test
    void aPlayersEventsArePagedInOrderFromTheEventStore() {
        LedgerClient client = new LedgerClient(port);
        client.registerPlayer("v-paged", "Paged");
        client.registerPlayer("v-other", "Other");
        for (int i = 0; i < 6; i++) {
            client.win("v-paged-" + i, "v-paged", "v-other");
        }
        client.post("/api/matches/v-paged-2/void", "{\"reason\":\"bugged map\"}");

        List<JsonNode> all = new ArrayList<>();
        JsonNode page =
                client.get("/api/players/v-paged/events?fromSequence=0&limit=3").json();
        int pages = 1;
        while (true) {
            page.get("events").forEach(all::add);
            if (page.get("next").isNull()) {
                break;
            }
            page = client.get("/api/players/v-paged/events?limit=3&fromSequence="
                            + page.get("next").asLong())
                    .json();
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(all)
                .extracting(event -> event.get("sequence").asLong())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(all)
                .extracting(event -> event.get("type").asText())
                .containsExactly(
                        "PlayerRegistered",
                        "MatchRecorded",
                        "MatchRecorded",
                        "MatchRecorded",
                        "MatchRecorded",
                        "MatchRecorded",
                        "MatchRecorded",
                        "MatchVoided");
        assertThat(all.get(7).at("/payload/totalAfter").asLong()).isEqualTo(15);
        assertThat(all.get(1).at("/payload/occurredAt").isTextual()).isTrue();
        assertThat(all.get(1).at("/metadata/requestId").isTextual()).isTrue();
        assertThat(client.get("/api/players/v-paged/events?fromSequence=5")
                        .json()
                        .get("events"))
                .extracting(event -> event.get("sequence").asLong())
                .containsExactly(5L, 6L, 7L);
        assertThat(client.get("/api/players/v-paged/events?fromSequence=8")
                        .json()
                        .get("events"))
                .isEmpty();
    }

    record Share(String result, int points, long total) {}

    static Share share(JsonNode voidAnswer, String playerId) {
        for (JsonNode player : voidAnswer.get("players")) {
            if (player.get("playerId").asText().equals(playerId)) {
                return new Share(
                        player.get("result").asText(),
                        player.get("points").asInt(),
                        player.get("total").asLong());
            }
        }
        throw new AssertionError(playerId + " not in " + voidAnswer);
    }

    static Reply voidMatch(LedgerClient client, String matchId, String reason) {
        return client.post("/api/matches/" + matchId + "/void", "{\"reason\":\"" + reason + "\"}");
    }

    static long pointsAsOf(LedgerClient client, String playerId, Instant asOf) {
        Reply reply = client.get("/api/players/" + playerId + "/points?asOf=" + asOf);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("points").asLong();
    }

    static JsonNode lastEventOf(LedgerClient client, String playerId) {
        JsonNode events =
                client.get("/api/players/" + playerId + "/events").json().get("events");
        return events.get(events.size() - 1);
    }

    long eventCount() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }
}
