package io.matchledger.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.api.TestAccounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Webhooks end to end: the service as it runs, a real HTTP receiver (a JDK server on the loopback, which
 * {@code ledger.webhooks.allowed-networks} lets the test profile reach over plain http), and what arrives there:
 * each event once (after de-duplicating on its id), in the ledger's order, signed; failures retried and the queue
 * behind them waiting; a subscription paused after failing and resumed; and who enters and leaves a top N.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ledger.webhooks.pause-after=3",
            "ledger.seasons.seal-check=500ms",
            "ledger.event-store.commit-grace=1s"
        })
@ActiveProfiles("test")
class WebhookDeliveryTest {

    static final String SECRET = "whsec-test-0123456789";
    static final Duration DELIVERED = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    WebhookReceiver receiver;

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.close();
        }
    }

    LedgerClient admin() {
        return TestAccounts.ADMIN.client(port);
    }

    Reply subscribe(String webhookId, String events, Integer topN) {
        return admin().put(
                        "/api/webhooks/" + webhookId,
                        "{\"url\":\"" + receiver.url() + "\",\"events\":[" + events + "],\"secret\":\"" + SECRET + "\""
                                + (topN == null ? "" : ",\"topN\":" + topN) + "}");
    }

    /**
     * Two ballast players hold the top 2 when the subscription starts (its baseline: they were there, they did not
     * enter). Then each change below moves the top 2, and the receiver hears exactly who entered and who left, change
     * by change, the void of a match among them.
     */
    @Test
    void theTopNsEntriesAndExitsAndAVoidArriveInTheLedgersOrderSignedOnce() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        String p = "top" + System.nanoTime() % 1_000_000 + "-";
        LedgerClient admin = admin();
        for (String player : List.of("z1", "z2", "a", "b", "c")) {
            assertThat(admin.registerPlayer(p + player, "Player " + player).status())
                    .isEqualTo(201);
        }
        assertThat(admin.adjust(p + "z1", p + "z1-open", 50_000, "ballast").status())
                .isEqualTo(201);
        assertThat(admin.adjust(p + "z2", p + "z2-open", 50_000, "ballast").status())
                .isEqualTo(201);

        Reply subscribed = subscribe(p + "hook", "\"leaderboard.entered\",\"leaderboard.left\",\"match.voided\"", 2);
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
        assertThat(subscribed.body()).doesNotContain(SECRET);
        assertThat(subscribe(p + "hook", "\"leaderboard.entered\",\"leaderboard.left\",\"match.voided\"", 2)
                        .status())
                .as("the same subscription again")
                .isEqualTo(200);
        assertThat(jdbc.queryForObject(
                        "select secret_cipher from webhook_subscription where webhook_id = ?",
                        String.class,
                        p + "hook"))
                .as("stored encrypted")
                .doesNotContain(SECRET)
                .isNotBlank();

        assertThat(admin.adjust(p + "a", p + "a-open", 100_000, "opening").status())
                .isEqualTo(201);
        assertThat(admin.adjust(p + "b", p + "b-open", 100_002, "opening").status())
                .isEqualTo(201);
        assertThat(admin.adjust(p + "c", p + "c-open", 100_001, "opening").status())
                .isEqualTo(201);
        assertThat(admin.win(p + "m1", p + "a", p + "c").status()).isEqualTo(201);
        assertThat(admin.post("/api/matches/" + p + "m1/void", "{\"reason\":\"reported by mistake\"}")
                        .status())
                .isEqualTo(201);

        List<String> expected = List.of(
                "leaderboard.entered a 1",
                "leaderboard.left z2 3",
                "leaderboard.entered b 1",
                "leaderboard.left z1 3",
                "leaderboard.entered c 2",
                "leaderboard.left a 3",
                "leaderboard.entered a 1",
                "leaderboard.left c 3",
                "match.voided " + p + "m1",
                "leaderboard.entered c 2",
                "leaderboard.left a 3");
        await().atMost(DELIVERED)
                .untilAsserted(() -> assertThat(receiver.accepted()).hasSize(expected.size()));
        assertThat(receiver.accepted().stream()
                        .map(request -> describe(request.json(), p))
                        .toList())
                .isEqualTo(expected);
        assertThat(receiver.received())
                .as("nothing repeated: the receiver answered 200 each time")
                .hasSameSizeAs(expected);
        receiver.assertEverySignatureVerifies();
        JsonNode voided = receiver.accepted().get(8).json();
        assertThat(voided.at("/data/players/0/points").asInt()
                        + voided.at("/data/players/1/points").asInt())
                .isEqualTo(-3);
        assertThat(receiver.accepted().get(0).header("Ledger-Webhook-Id")).isEqualTo(p + "hook");

        JsonNode deliveries =
                admin.get("/api/webhooks/" + p + "hook/deliveries").json();
        assertThat(deliveries.path("deliveries")).hasSize(expected.size());
        deliveries.path("deliveries").forEach(delivery -> {
            assertThat(delivery.path("state").asText()).isEqualTo("DELIVERED");
            assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.path("lastStatus").asInt()).isEqualTo(200);
        });
    }

    @Test
    void aFailedDeliveryIsRetriedAndTheQueueBehindItWaits() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        AtomicInteger requests = new AtomicInteger();
        receiver.answer(() -> requests.incrementAndGet() <= 2 ? 500 : 200);
        String p = "retry" + System.nanoTime() % 1_000_000 + "-";
        registerTwo(p);
        assertThat(subscribe(p + "hook", "\"match.voided\"", null).status()).isEqualTo(201);
        for (String match : List.of("m1", "m2")) {
            assertThat(admin().win(p + match, p + "a", p + "b").status()).isEqualTo(201);
            assertThat(admin().post("/api/matches/" + p + match + "/void", "{\"reason\":\"void\"}")
                            .status())
                    .isEqualTo(201);
        }
        await().atMost(DELIVERED)
                .untilAsserted(() -> assertThat(receiver.accepted()).hasSize(2));
        assertThat(receiver.received().stream()
                        .map(request -> request.json().at("/data/matchId").asText() + " " + request.answered())
                        .toList())
                .as("m2 waits behind m1 until m1 is delivered")
                .containsExactly(p + "m1 500", p + "m1 500", p + "m1 200", p + "m2 200");
        receiver.assertEverySignatureVerifies();
        JsonNode deliveries =
                admin().get("/api/webhooks/" + p + "hook/deliveries").json();
        assertThat(deliveries.at("/deliveries/1/attempts").asInt())
                .as("m1, the older")
                .isEqualTo(3);
        assertThat(deliveries.at("/deliveries/1/lastStatus").asInt()).isEqualTo(200);
        assertThat(deliveries.at("/deliveries/0/attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aSubscriptionThatKeepsFailingIsPausedAndResumedByAnOperator() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        receiver.answer(() -> 503);
        String p = "pause" + System.nanoTime() % 1_000_000 + "-";
        registerTwo(p);
        assertThat(subscribe(p + "hook", "\"match.voided\"", null).status()).isEqualTo(201);
        assertThat(admin().win(p + "m1", p + "a", p + "b").status()).isEqualTo(201);
        assertThat(admin().post("/api/matches/" + p + "m1/void", "{\"reason\":\"void\"}")
                        .status())
                .isEqualTo(201);

        await().atMost(DELIVERED)
                .untilAsserted(() -> assertThat(admin().get("/api/webhooks/" + p + "hook")
                                .json()
                                .path("status")
                                .asText())
                        .isEqualTo("PAUSED"));
        JsonNode paused = admin().get("/api/webhooks/" + p + "hook").json();
        assertThat(paused.path("failures").asInt()).isEqualTo(3);
        assertThat(paused.path("pending").asInt()).isEqualTo(1);
        assertThat(paused.path("pausedReason").asText()).contains("answered 503");
        JsonNode delivery =
                admin().get("/api/webhooks/" + p + "hook/deliveries").json().at("/deliveries/0");
        assertThat(delivery.path("state").asText()).isEqualTo("PENDING");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.path("lastStatus").asInt()).isEqualTo(503);
        assertThat(Instant.parse(delivery.path("nextAttemptAt").asText())).isNotNull();
        int attempts = receiver.received().size();
        assertThat(attempts).isEqualTo(3);

        receiver.answer(() -> 200);
        Reply resumed = admin().post("/api/webhooks/" + p + "hook/resume", "");
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
        assertThat(resumed.json().path("status").asText()).isEqualTo("ACTIVE");
        await().atMost(DELIVERED)
                .untilAsserted(() -> assertThat(receiver.accepted()).hasSize(1));
        assertThat(receiver.accepted().get(0).header("Ledger-Delivery-Attempt")).isEqualTo("4");
    }

    @Test
    void aSeasonsTopNAndItsSealArrive() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        String p = "season" + System.nanoTime() % 1_000_000 + "-";
        registerTwo(p);
        assertThat(subscribe(p + "hook", "\"season.sealed\",\"season.leaderboard.entered\"", 1)
                        .status())
                .isEqualTo(201);
        Instant start = Instant.now().plusSeconds(2);
        Reply season = admin().put(
                        "/api/seasons/" + p + "s",
                        "{\"name\":\"Short\",\"start\":\"" + start + "\",\"end\":\"" + start.plusSeconds(3)
                                + "\",\"grace\":\"PT1S\"}");
        assertThat(season.status()).as(season.toString()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(start.plusMillis(200)));
        assertThat(admin().win(p + "m1", p + "b", p + "a").status()).isEqualTo(201);

        await().atMost(DELIVERED)
                .untilAsserted(() -> assertThat(receiver.accepted())
                        .extracting(request -> request.json().path("type").asText())
                        .contains("season.sealed"));
        List<JsonNode> accepted =
                receiver.accepted().stream().map(WebhookReceiver.Received::json).toList();
        assertThat(accepted.get(0).path("type").asText()).isEqualTo("season.leaderboard.entered");
        assertThat(accepted.get(0).at("/data/playerId").asText()).isEqualTo(p + "b");
        assertThat(accepted.get(0).at("/data/seasonId").asText()).isEqualTo(p + "s");
        JsonNode sealed = accepted.get(accepted.size() - 1);
        assertThat(sealed.at("/data/seal/seasonId").asText()).isEqualTo(p + "s");
        assertThat(sealed.at("/data/seal/matches").asInt()).isEqualTo(1);
        assertThat(sealed.at("/data/standings").asText()).isEqualTo("/api/leaderboard?season=" + p + "s");
        receiver.assertEverySignatureVerifies();
    }

    @Test
    void aSubscriptionIsRefusedWhereItCouldReachIntoTheNetworkOrIsIncomplete() throws Exception {
        receiver = new WebhookReceiver(SECRET);
        LedgerClient admin = admin();
        assertField(
                admin.put("/api/webhooks/bad", body("http://10.1.2.3/hook", "\"match.voided\"", SECRET, null)),
                "url",
                "private or loopback");
        assertField(
                admin.put("/api/webhooks/bad", body("http://93.184.216.34/hook", "\"match.voided\"", SECRET, null)),
                "url",
                "must be https");
        assertField(
                admin.put("/api/webhooks/bad", body("ftp://127.0.0.1/x", "\"match.voided\"", SECRET, null)),
                "url",
                "http(s)");
        assertField(
                admin.put("/api/webhooks/bad", body(receiver.url(), "\"match.won\"", SECRET, null)),
                "events",
                "unknown type match.won");
        assertField(
                admin.put("/api/webhooks/bad", body(receiver.url(), "\"leaderboard.entered\"", SECRET, null)),
                "topN",
                "required");
        assertField(
                admin.put("/api/webhooks/bad", body(receiver.url(), "\"match.voided\"", "short", null)), "secret", "");
        assertThat(admin.get("/api/webhooks/bad").status()).isEqualTo(404);
        assertThat(admin.get("/api/webhooks/bad/deliveries").status()).isEqualTo(404);
        assertThat(admin.send("DELETE", "/api/webhooks/bad", null).status()).isEqualTo(404);
        assertThat(TestAccounts.READER.client(port).get("/api/webhooks").status())
                .isEqualTo(403);
    }

    void registerTwo(String p) {
        assertThat(admin().registerPlayer(p + "a", "A").status()).isEqualTo(201);
        assertThat(admin().registerPlayer(p + "b", "B").status()).isEqualTo(201);
    }

    static String body(String url, String events, String secret, Integer topN) {
        return "{\"url\":\"" + url + "\",\"events\":[" + events + "],\"secret\":\"" + secret + "\""
                + (topN == null ? "" : ",\"topN\":" + topN) + "}";
    }

    static void assertField(Reply reply, String field, String reason) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().path("type").asText()).isEqualTo("/problems/validation");
        assertThat(reply.json().path("errors").toString()).as(reply.toString()).contains("\"field\":\"" + field + "\"");
        assertThat(reply.json().path("errors").toString()).contains(reason);
        assertThat(reply.body()).doesNotContain(SECRET);
    }

    static String describe(JsonNode event, String prefix) {
        String type = event.path("type").asText();
        if (type.equals("match.voided")) {
            return type + " " + event.at("/data/matchId").asText();
        }
        return type + " " + event.at("/data/playerId").asText().substring(prefix.length()) + " "
                + event.at("/data/rank").asLong();
    }
}
