package io.matchledger.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.matchledger.api.LedgerProcess;
import io.matchledger.api.LedgerProcess.Reply;
import io.matchledger.api.TestAccounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks survive what a process and a receiver go through: the packaged service killed with SIGKILL while it
 * delivers (a request in flight at the receiver), started again on the same files; then the receiver down for a whole
 * minute while the ledger goes on. Every event arrives, in the ledger's order, each signature verifies, and the only
 * repeats are of an event already received (its id is the receiver's key to drop them).
 */
class WebhooksKilledMidDeliveryIT {

    static final String SECRET = "whsec-crash-0123456789";
    static final Duration START = Duration.ofMinutes(3);
    static final int BEFORE_KILL = 30;
    static final int WHILE_DOWN = 10;

    LedgerProcess ledger;
    final List<WebhookReceiver> receivers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (ledger != null) {
            ledger.stop();
        }
        receivers.forEach(WebhookReceiver::close);
    }

    @Test
    void everyEventArrivesInOrderThroughAKillAndAMinuteWithoutTheReceiver() throws Exception {
        Path dir = LedgerProcess.freshLogDir("webhooks-crash-test");
        Path data = Files.createDirectories(dir.resolve("data-" + UUID.randomUUID()))
                .toAbsolutePath();
        List<String> args = new ArrayList<>(List.of(
                "--ledger.data-dir=" + data,
                "--logging.level.root=warn",
                "--ledger.webhooks.allowed-networks[0]=127.0.0.0/8",
                "--ledger.webhooks.initial-backoff=200ms",
                "--ledger.webhooks.max-backoff=2s",
                "--ledger.webhooks.pause-after=1000",
                "--ledger.webhooks.timeout=2s",
                "--ledger.webhooks.lease=4s",
                "--ledger.webhooks.poll-interval=200ms"));
        args.addAll(LedgerProcess.accounts(TestAccounts.ADMIN, TestAccounts.RECORDER));
        Path jar = LedgerProcess.copyOfPackagedJar(dir);
        ledger = new LedgerProcess("ledger", jar, args, dir).start().awaitHealthy(START);

        WebhookReceiver receiver = receiver(0);
        receiver.delay(300); // slow, so that the kill finds a delivery under way
        send("PUT", "/api/players/a", "{\"name\":\"A\"}", 201);
        send("PUT", "/api/players/b", "{\"name\":\"B\"}", 201);
        send(
                "PUT",
                "/api/webhooks/crash",
                "{\"url\":\"" + receiver.url() + "\",\"events\":[\"match.voided\"],\"secret\":\"" + SECRET + "\"}",
                201);
        List<String> voided = new ArrayList<>();
        for (int i = 0; i < BEFORE_KILL; i++) {
            voided.add(voidedMatch("m" + i));
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> receiver.received().size() >= 5);
        ledger.kill();
        int beforeRestart = receiver.received().size();
        ledger = new LedgerProcess("ledger", jar, args, dir).start().awaitHealthy(START);
        await().atMost(Duration.ofMinutes(2)).until(() -> receiver.accepted().size() == BEFORE_KILL);
        assertThat(beforeRestart).as("delivered before the kill").isLessThan(BEFORE_KILL);

        // The receiver goes away for a minute; the ledger records on, and its deliveries wait.
        int port = receiver.port();
        receiver.close();
        long downSince = System.nanoTime();
        for (int i = 0; i < WHILE_DOWN; i++) {
            voided.add(voidedMatch("late" + i));
        }
        await().atMost(Duration.ofSeconds(70)).until(() -> System.nanoTime() - downSince >= 60_000_000_000L);
        WebhookReceiver back = receiver(port);
        await().atMost(Duration.ofMinutes(1)).until(() -> back.accepted().size() == WHILE_DOWN);

        List<WebhookReceiver.Received> accepted = new ArrayList<>(receiver.accepted());
        accepted.addAll(back.accepted());
        assertThat(accepted.stream()
                        .map(request -> request.json().at("/data/matchId").asText())
                        .toList())
                .as("every void, once each after de-duplicating, in the ledger's order")
                .isEqualTo(voided);
        Set<String> ids =
                accepted.stream().map(WebhookReceiver.Received::eventId).collect(Collectors.toSet());
        for (WebhookReceiver each : receivers) {
            each.assertEverySignatureVerifies();
            assertThat(each.received())
                    .as("repeats are of events received already")
                    .allMatch(request -> ids.contains(request.eventId()));
        }
        String deliveries = send("GET", "/api/webhooks/crash/deliveries?limit=500", null, 200);
        assertThat(deliveries).doesNotContain("\"PENDING\"");
    }

    private String voidedMatch(String matchId) throws Exception {
        send("POST", "/api/matches", "{\"matchId\":\"" + matchId + "\",\"winner\":\"a\",\"loser\":\"b\"}", 201);
        send("POST", "/api/matches/" + matchId + "/void", "{\"reason\":\"test\"}", 201);
        return matchId;
    }

    private String send(String method, String path, String body, int expected) throws Exception {
        Reply reply = ledger.send(method, path, body, TestAccounts.ADMIN);
        assertThat(reply.status()).as(method + " " + path + ": " + reply).isEqualTo(expected);
        return reply.body();
    }

    private WebhookReceiver receiver(int port) throws Exception {
        WebhookReceiver receiver = new WebhookReceiver(SECRET, port);
        receivers.add(receiver);
        return receiver;
    }
}
