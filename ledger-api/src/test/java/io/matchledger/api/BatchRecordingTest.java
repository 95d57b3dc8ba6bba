package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A game server reports a round of matches in one request: each match is answered as the single endpoint would answer
 * it, and recorded (or refused) on its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class BatchRecordingTest {

    @LocalServerPort
    int port;

    @Test
    void eachMatchOfABatchGetsTheAnswerItWouldGetAloneAndOnlyTheAcceptedOnesCount() {
        LedgerClient recorder = TestAccounts.RECORDER.client(port);
        for (String player : List.of("bt-a", "bt-b", "bt-c")) {
            assertThat(recorder.registerPlayer(player, player.toUpperCase()).status())
                    .isEqualTo(201);
        }
        assertThat(recorder.win("bt-earlier", "bt-a", "bt-b").status()).isEqualTo(201);

        Reply reply = recorder.post(
                "/api/matches/batch",
                batch(
                        "{\"matchId\":\"bt-1\",\"winner\":\"bt-a\",\"loser\":\"bt-b\"}",
                        "{\"matchId\":\"bt-1\",\"winner\":\"bt-a\",\"loser\":\"bt-b\"}",
                        "{\"matchId\":\"bt-1\",\"winner\":\"bt-b\",\"loser\":\"bt-a\"}",
                        "{\"matchId\":\"bt-earlier\",\"winner\":\"bt-a\",\"loser\":\"bt-b\"}",
                        "{\"matchId\":\"bt-2\",\"winner\":\"bt-a\",\"loser\":\"nobody\"}",
                        "{\"matchId\":\"bad id!\",\"winner\":\"bt-a\",\"loser\":\"bt-b\"}",
                        "{\"matchId\":\"bt-3\",\"winner\":\"bt-c\",\"loser\":\"bt-c\"}",
                        "{\"matchId\":\"bt-4\",\"draw\":[\"bt-b\",\"bt-c\"]}"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode results = reply.json().get("results");
        assertThat(results)
                .extracting(result -> result.get("status").asInt())
                .containsExactly(201, 200, 409, 200, 404, 400, 422, 201);
        assertThat(results.get(0).at("/body/players/0/total").asLong()).isEqualTo(6);
        assertThat(results.get(1).get("body"))
                .as("an identical retry gets the original answer")
                .isEqualTo(results.get(0).get("body"));
        assertThat(results.get(2).at("/body/type").asText()).isEqualTo("/problems/conflict");
        assertThat(results.get(4).at("/body/detail").asText()).contains("nobody");
        assertThat(results.get(5).at("/body/errors/0/field").asText()).isEqualTo("matchId");
        assertThat(results.get(6).at("/body/errors/0/field").asText()).isEqualTo("loser");

        // The single endpoint agrees with every answer, and only the two accepted matches counted.
        assertThat(recorder.win("bt-1", "bt-a", "bt-b").status()).isEqualTo(200);
        assertThat(recorder.win("bt-1", "bt-b", "bt-a").status()).isEqualTo(409);
        LedgerClient reader = TestAccounts.READER.client(port);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(reader.pointsOf("bt-a")).isEqualTo(6);
            assertThat(reader.pointsOf("bt-b")).isEqualTo(1);
            assertThat(reader.pointsOf("bt-c")).isEqualTo(1);
        });
    }

    @Test
    void aBatchThatIsNotAListOfOneToFiveHundredMatchesIsRefusedWhole() {
        LedgerClient recorder = TestAccounts.RECORDER.client(port);
        Reply empty = recorder.post("/api/matches/batch", "{\"matches\":[]}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().at("/errors/0/field").asText()).isEqualTo("matches");

        String tooMany = batch(IntStream.range(0, 501)
                .mapToObj(i -> "{\"matchId\":\"bt-many-" + i + "\",\"winner\":\"bt-x\",\"loser\":\"bt-y\"}")
                .toArray(String[]::new));
        Reply refused = recorder.post("/api/matches/batch", tooMany);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/errors/0/field").asText()).isEqualTo("matches");
        assertThat(TestAccounts.READER
                        .client(port)
                        .get("/api/matches/bt-many-0")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void batchesFromManyGameServersOnTheSamePlayersCountEveryAcceptedMatchOnce() throws Exception {
        LedgerClient admin = new LedgerClient(port);
        List<String> players = IntStream.range(0, 6).mapToObj(i -> "bh-" + i).toList();
        players.forEach(player ->
                assertThat(admin.registerPlayer(player, player).status()).isEqualTo(201));
        // Eight servers send 25 batches of 40 each; every match is sent twice, by two servers, in different batches.
        Random random = new Random(11);
        List<MatchClaim> claims = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            String a = players.get(random.nextInt(players.size()));
            String b = players.get(random.nextInt(players.size()));
            while (b.equals(a)) {
                b = players.get(random.nextInt(players.size()));
            }
            claims.add(new MatchClaim("bh-m" + i, a, b, random.nextBoolean()));
        }
        Map<String, List<Integer>> statuses = new ConcurrentHashMap<>();
        ExecutorService servers = Executors.newFixedThreadPool(8);
        List<Future<?>> sent = new ArrayList<>();
        for (int server = 0; server < 8; server++) {
            int first = (server % 4) * 1_000;
            sent.add(servers.submit(() -> {
                LedgerClient recorder = TestAccounts.RECORDER.client(port);
                for (int from = first; from < first + 1_000; from += 40) {
                    List<MatchClaim> round = claims.subList(from, from + 40);
                    Reply reply = recorder.post(
                            "/api/matches/batch",
                            batch(round.stream().map(MatchClaim::json).toArray(String[]::new)));
                    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                    JsonNode results = reply.json().get("results");
                    for (int i = 0; i < round.size(); i++) {
                        statuses.computeIfAbsent(round.get(i).matchId(), id -> new CopyOnWriteArrayList<>())
                                .add(results.get(i).get("status").asInt());
                    }
                }
                return null;
            }));
        }
        for (Future<?> server : sent) {
            server.get(5, TimeUnit.MINUTES);
        }
        servers.shutdown();

        Map<String, Long> model = new HashMap<>();
        for (MatchClaim claim : claims) {
            assertThat(statuses.get(claim.matchId())).as(claim.matchId()).containsExactlyInAnyOrder(201, 200);
            model.merge(claim.first(), (long) claim.pointsOf(claim.first()), Long::sum);
            model.merge(claim.second(), (long) claim.pointsOf(claim.second()), Long::sum);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String player : players) {
                assertThat(admin.pointsOf(player)).as(player).isEqualTo(model.getOrDefault(player, 0L));
            }
        });
        assertThat(admin.get("/api/audit/verify").json().get("mismatches")).isEmpty();
    }

    private static String batch(String... matches) {
        return "{\"matches\":[" + String.join(",", matches) + "]}";
    }
}
