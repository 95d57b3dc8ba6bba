package io.matchledger.api.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerProcess;
import io.matchledger.api.TestAccounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One property switches the packaged service's console to Spring Boot's structured JSON (ECS): every line a request
 * logs carries its {@code requestId} (the caller's {@code X-Request-Id}) and its {@code traceId} (the caller's
 * {@code traceparent}), and no secret. A real process, since logging is set up once per JVM.
 */
class StructuredLogsIT {

    static final ObjectMapper JSON = new ObjectMapper();

    LedgerProcess ledger;

    @AfterEach
    void stop() throws InterruptedException {
        if (ledger != null) {
            ledger.stop();
        }
    }

    @Test
    void everyLineOfARequestCarriesItsRequestIdAndTraceIdAsJson() throws Exception {
        Path dir = LedgerProcess.freshLogDir("structured-logs-test");
        Path data = Files.createDirectories(dir.resolve("data-" + UUID.randomUUID()))
                .toAbsolutePath();
        List<String> args = new ArrayList<>(List.of(
                "--ledger.data-dir=" + data,
                "--logging.structured.format.console=ecs",
                "--logging.level.root=warn",
                "--logging.level.io.matchledger=info",
                "--ledger.webhooks.allowed-networks[0]=127.0.0.0/8"));
        args.addAll(LedgerProcess.accounts(TestAccounts.ADMIN));
        ledger = new LedgerProcess("ledger", LedgerProcess.copyOfPackagedJar(dir), args, dir)
                .start()
                .awaitHealthy(Duration.ofMinutes(3));

        String requestId = "logs-" + System.nanoTime();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> subscribed = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ledger.port() + "/api/webhooks/logs"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", basic(TestAccounts.ADMIN))
                                .header("X-Request-Id", requestId)
                                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"http://127.0.0.1:9/hook\","
                                        + "\"events\":[\"match.voided\"],\"secret\":\"never-in-a-log-line\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode line = lineOf(requestId).orElseThrow(() -> new AssertionError("no JSON line of " + requestId));
            assertThat(line.path("message").asText()).contains("subscribed");
            assertThat(line.path("requestId").asText()).isEqualTo(requestId);
            assertThat(line.path("traceId").asText()).isEqualTo(traceId);
            assertThat(line.path("log").path("level").asText()).isEqualTo("INFO");
        });
        String log = Files.readString(ledger.log().toPath());
        assertThat(log).doesNotContain("never-in-a-log-line");
    }

    private Optional<JsonNode> lineOf(String requestId) throws Exception {
        for (String text : Files.readAllLines(ledger.log().toPath())) {
            if (text.startsWith("{") && text.contains(requestId)) {
                return Optional.of(JSON.readTree(text));
            }
        }
        return Optional.empty();
    }

    private static String basic(TestAccounts account) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((account.user() + ":" + account.password()).getBytes(StandardCharsets.UTF_8));
    }
}
