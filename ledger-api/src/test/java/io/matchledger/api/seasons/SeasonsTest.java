package io.matchledger.api.seasons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.api.SealRule;
import io.matchledger.api.TestAccounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A season from its definition to its seal, over real HTTP on the embedded store: matches at the exact start and end
 * instants, a season defined after some of its matches, a void before the close, a late report in the grace, a late
 * report and a void after the close (post-seal corrections that change nothing), the seal recomputed from the audit
 * export alone by the documented rule, the verification, and a rebuild that gives the same season back.
 * <p>
 * A context of its own (its own ledger): the season calendar is global, and the other tests' matches must not meet
 * these seasons.
 * <p>
 * Time is Axon's event clock, held still and stepped by the test: it stamps the events, so it decides whether a match
 * was recorded in the season, in its grace or after its close, and the service reads "now" from it too. The 6-second
 * season and 3-second grace therefore need not fit the machine's speed: they end when the test says so.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ledger.seasons.seal-check=200ms", "ledger.event-store.append-bound=1s"})
@ActiveProfiles("test")
class SeasonsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private Clock originalClock;

    @BeforeEach
    void holdTheClock() {
        originalClock = GenericEventMessage.clock;
        clockAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @AfterEach
    void releaseTheClock() {
        GenericEventMessage.clock = originalClock;
    }

    private static void clockAt(Instant instant) {
        GenericEventMessage.clock = Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void aSeasonCountsItsWindowClosesAfterItsGraceAndIsSealedProvably() throws Exception {
        LedgerClient admin = new LedgerClient(port);
        LedgerClient reader = TestAccounts.READER.client(port);
        for (String player : List.of("ann", "bob", "cid")) {
            assertThat(admin.registerPlayer(player, player.toUpperCase()).status())
                    .isEqualTo(201);
        }
        // Between seasons "current" names none; an unknown season is no season.
        assertThat(reader.get("/api/leaderboard?season=current").status()).isEqualTo(404);
        assertThat(reader.get("/api/leaderboard/stream?season=nope").status()).isEqualTo(404);
        assertThat(reader.get("/api/players/ann?season=bad%20id").status()).isEqualTo(400);
        Instant now = GenericEventMessage.clock.instant();
        // A match from the future would land in a season not yet started.
        Reply future = record(admin, "m-future", "ann", "bob", now.plusSeconds(300));
        assertThat(future.status()).as(future.toString()).isEqualTo(400);
        assertThat(future.json().at("/errors/0/field").asText()).isEqualTo("occurredAt");
        Instant start = now.minus(Duration.ofHours(1));
        Instant end = now.plusSeconds(6);
        // Recorded before the season exists: placed when it is defined.
        assertThat(record(admin, "m-early", "ann", "bob", now.minusSeconds(600)).status())
                .isEqualTo(201);
        assertThat(record(admin, "m-before", "ann", "bob", start.minusMillis(1)).status())
                .isEqualTo(201);

        Reply defined = admin.put("/api/seasons/s1", season("Season one", start, end, "PT3S"));
        assertThat(defined.status()).as(defined.toString()).isEqualTo(201);
        assertThat(admin.put("/api/seasons/s1", season("Season one", start, end, "PT3S"))
                        .status())
                .isEqualTo(200);
        Reply next = admin.put("/api/seasons/s2", season("Season two", end, end.plus(Duration.ofDays(7)), "PT1H"));
        assertThat(next.status()).as(next.toString()).isEqualTo(201);
        // No overlap, and a started season stays where it is.
        Reply overlapping =
                admin.put("/api/seasons/s3", season("Overlap", end.minusSeconds(1), end.plusSeconds(1), null));
        assertThat(overlapping.status()).as(overlapping.toString()).isEqualTo(422);
        Reply moved = admin.put("/api/seasons/s1", season("Season one", start.minusSeconds(1), end, "PT3S"));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(409);
        assertThat(reader.put(
                                "/api/seasons/s9",
                                season("No", end.plus(Duration.ofDays(30)), end.plus(Duration.ofDays(31)), null))
                        .status())
                .isEqualTo(403);

        assertThat(record(admin, "m-start", "bob", "cid", start).status()).isEqualTo(201);
        assertThat(draw(admin, "m-draw", "ann", "cid", now.minusSeconds(60)).status())
                .isEqualTo(201);
        assertThat(record(admin, "m-voided", "cid", "ann", now.minusSeconds(30)).status())
                .isEqualTo(201);
        assertThat(voidMatch(admin, "m-voided").status()).isEqualTo(201);
        // At the exact end instant: the next season's.
        assertThat(record(admin, "m-end", "cid", "bob", end).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(reader.get("/api/leaderboard?season=s1")
                                .json()
                                .get("total")
                                .asLong())
                        .isEqualTo(3));
        // ann: m-early win 3, draw 1 = 4; bob: m-early loss, m-start win 3 = 3; cid: m-start loss, draw 1 = 1.
        JsonNode board = reader.get("/api/leaderboard?season=s1").json();
        assertThat(ids(board)).containsExactly("ann", "bob", "cid");
        assertThat(points(board)).containsExactly(4L, 3L, 1L);
        JsonNode cid = reader.get("/api/players/cid?season=s1").json();
        assertThat(cid.get("wins").asLong()).isZero();
        assertThat(cid.get("draws").asLong()).isEqualTo(1);
        assertThat(cid.get("losses").asLong()).isEqualTo(1);
        assertThat(cid.get("matches").asLong()).isEqualTo(2);
        assertThat(cid.get("rank").asLong()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(reader.get("/api/leaderboard?season=s2")
                                .json()
                                .get("total")
                                .asLong())
                        .isEqualTo(2));
        assertThat(reader.get("/api/leaderboard?season=nope").status()).isEqualTo(404);
        JsonNode explained =
                reader.get("/api/leaderboard/explain/bob?season=s1").json();
        assertThat(explained.get("rank").asLong()).isEqualTo(2);
        assertThat(explained.get("above").get("playerId").asText()).isEqualTo("ann");
        assertThat(explained.get("above").get("decidedBy").asText()).isEqualTo("points");
        assertThat(explained.get("below").get("playerId").asText()).isEqualTo("cid");
        long sum = 0;
        for (JsonNode entry : explained.get("entries")) {
            sum += entry.get("points").asLong();
        }
        assertThat(sum).isEqualTo(explained.get("points").asLong()).isEqualTo(3);
        JsonNode history = reader.get("/api/players/ann/matches?season=s1").json();
        assertThat(history.get("total").asLong()).isEqualTo(3); // m-early, m-draw, m-voided (marked voided)
        // A registered player who has not played in the season stands after everyone who has, with nothing.
        assertThat(admin.registerPlayer("dan", "DAN").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> reader.get("/api/leaderboard/around/dan?season=s1&radius=1")
                                .status()
                        == 200);
        JsonNode aroundDan =
                reader.get("/api/leaderboard/around/dan?season=s1&radius=1").json();
        assertThat(ids(aroundDan)).containsExactly("cid", "dan");
        assertThat(aroundDan.at("/items/1/rank").asLong()).isEqualTo(4);
        assertThat(aroundDan.at("/items/1/points").asLong()).isZero();
        assertThat(reader.get("/api/leaderboard/around/nobody?season=s1").status())
                .isEqualTo(404);

        // Ended, in its grace: a late report still counts.
        clockAt(end.plusMillis(100));
        assertThat(reader.get("/api/seasons/current").json().get("seasonId").asText())
                .isEqualTo("s2");
        assertThat(record(admin, "m-grace", "cid", "ann", end.minusSeconds(1)).status())
                .isEqualTo(201);
        // Closed: a late report and a late void are corrections, shown and not counted.
        clockAt(end.plusSeconds(3).plusMillis(100));
        assertThat(record(admin, "m-late", "bob", "ann", end.minusSeconds(2)).status())
                .isEqualTo(201);
        assertThat(voidMatch(admin, "m-start").status()).isEqualTo(201);
        // Past the close by more than the append bound (1 s here): the sealer may now seal.
        clockAt(end.plusSeconds(3).plusSeconds(1).plusMillis(100));

        JsonNode sealed = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> reader.get("/api/seasons/s1").json(),
                        s -> s.get("status").asText().equals("sealed")
                                && s.get("correctionCount").asLong() == 2);
        JsonNode seal = sealed.get("seal");
        assertThat(seal.get("matches").asLong()).isEqualTo(5); // early, start, draw, voided, grace
        assertThat(seal.get("events").asLong()).isEqualTo(6); // and the void of m-voided
        assertThat(seal.get("players").asLong()).isEqualTo(3);
        Set<String> corrections = new HashSet<>();
        sealed.get("corrections")
                .forEach(c -> corrections.add(
                        c.get("kind").asText() + " " + c.get("matchId").asText()));
        assertThat(corrections).containsExactlyInAnyOrder("LATE_MATCH m-late", "LATE_VOID m-start");
        // cid won m-grace in the grace: 1 + 3 = 4, level with ann, who reached 4 first.
        JsonNode finalBoard = reader.get("/api/leaderboard?season=s1").json();
        assertThat(ids(finalBoard)).containsExactly("ann", "cid", "bob");
        assertThat(points(finalBoard)).containsExactly(4L, 4L, 3L);
        assertThat(reader.get("/api/leaderboard/explain/cid?season=s1")
                        .json()
                        .get("above")
                        .get("decidedBy")
                        .asText())
                .isEqualTo("reachedFirst");

        // The seal from the audit export alone, by the documented rule.
        LedgerClient auditor = TestAccounts.AUDITOR.client(port);
        Reply export = auditor.get("/api/audit/events?limit=100000");
        assertThat(export.status()).isEqualTo(200);
        assertThat(SealRule.recompute(export.body(), start, end, end.plusSeconds(3)))
                .isEqualTo(List.of(
                        seal.get("eventsSha256").asText(),
                        seal.get("standingsSha256").asText()));
        JsonNode proof = auditor.get("/api/seasons/s1/proof").json();
        assertThat(proof.get("matches").asBoolean()).as(proof.toString()).isTrue();
        assertThat(proof.get("tokens")).hasSize(6);
        assertThat(reader.get("/api/seasons/s1/proof").status()).isEqualTo(403);
        JsonNode verify = auditor.get("/api/audit/verify").json();
        assertThat(verify.get("seals")).hasSize(1);
        assertThat(verify.get("seals").get(0).get("ok").asBoolean())
                .as(verify.toString())
                .isTrue();

        // A rebuild gives the same season back, seal and corrections included.
        String before = reader.get("/api/seasons/s1").body()
                + reader.get("/api/leaderboard?season=s1").body();
        assertThat(admin.post("/api/admin/projections/matches/rebuild", "").status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !anyRebuilding(admin));
        String after = reader.get("/api/seasons/s1").body()
                + reader.get("/api/leaderboard?season=s1").body();
        assertThat(after).isEqualTo(before);
        assertThat(auditor.get("/api/audit/verify")
                        .json()
                        .get("seals")
                        .get(0)
                        .get("ok")
                        .asBoolean())
                .isTrue();
    }

    private static boolean anyRebuilding(LedgerClient admin) {
        for (JsonNode projection : admin.get("/api/admin/projections").json()) {
            if (projection.get("rebuilding").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static String season(String name, Instant start, Instant end, String grace) {
        return "{\"name\":\"" + name + "\",\"start\":\"" + start + "\",\"end\":\"" + end + "\""
                + (grace == null ? "" : ",\"grace\":\"" + grace + "\"") + "}";
    }

    private static Reply record(LedgerClient client, String matchId, String winner, String loser, Instant at) {
        return client.post(
                "/api/matches",
                "{\"matchId\":\"" + matchId + "\",\"winner\":\"" + winner + "\",\"loser\":\"" + loser
                        + "\",\"occurredAt\":\"" + at + "\"}");
    }

    private static Reply draw(LedgerClient client, String matchId, String first, String second, Instant at) {
        return client.post(
                "/api/matches",
                "{\"matchId\":\"" + matchId + "\",\"draw\":[\"" + first + "\",\"" + second + "\"],\"occurredAt\":\""
                        + at + "\"}");
    }

    private static Reply voidMatch(LedgerClient client, String matchId) {
        return client.post("/api/matches/" + matchId + "/void", "{\"reason\":\"test void\"}");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("playerId").asText()));
        return ids;
    }

    private static List<Long> points(JsonNode page) {
        List<Long> points = new ArrayList<>();
        page.get("items").forEach(item -> points.add(item.get("points").asLong()));
        return points;
    }
}
