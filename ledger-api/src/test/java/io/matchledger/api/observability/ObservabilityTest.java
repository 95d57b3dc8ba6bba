package io.matchledger.api.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.api.TestAccounts;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Traces and logs as an operator gets them (ADR 0021), with the service exporting its spans over OTLP/HTTP to a real
 * receiver in the test (the logs are {@link StructuredLogsIT}'s: logging is set up once per JVM). Sampling is off here (probability 0), so
 * only a request whose {@code traceparent} says "sampled" is traced: its trace holds the HTTP server span, the group
 * commit and the decision of its match, and the projections' batches that applied its events link to it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.tracing.sampling.probability=0.0",
            "management.otlp.tracing.export.schedule-delay=200ms"
        })
@AutoConfigureObservability
@ActiveProfiles("test")
class ObservabilityTest {

    static final TraceReceiver RECEIVER = start();

    @DynamicPropertySource
    static void exportTo(DynamicPropertyRegistry properties) {
        properties.add("management.otlp.tracing.endpoint", RECEIVER::endpoint);
    }

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    @Test
    void aSampledRequestIsOneTraceFromHttpThroughItsGroupToTheProjectionsThatAppliedIt() {
        LedgerClient recorder = TestAccounts.RECORDER.client(port);
        String p = "tr" + System.nanoTime() % 1_000_000 + "-";
        assertThat(recorder.registerPlayer(p + "a", "A").status()).isEqualTo(201);
        assertThat(recorder.registerPlayer(p + "b", "B").status()).isEqualTo(201);

        String traceId = hex(16);
        String parentId = hex(8);
        Reply recorded = recorder.send(
                "POST",
                "/api/matches",
                "{\"matchId\":\"" + p + "m1\",\"winner\":\"" + p + "a\",\"loser\":\"" + p + "b\"}",
                "traceparent",
                "00-" + traceId + "-" + parentId + "-01",
                "X-Request-Id",
                p + "request-1");
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        assertThat(recorded.header("traceparent"))
                .as("traceparent out: the same trace, the server's span")
                .hasValueSatisfying(header -> assertThat(header).matches("00-" + traceId + "-[0-9a-f]{16}-01"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<TraceReceiver.Received> trace = RECEIVER.inTrace(traceId);
            assertThat(trace)
                    .as("the HTTP server span, a child of the caller's")
                    .anyMatch(span ->
                            span.parentSpanId().equals(parentId) && span.name().startsWith("http post"));
            assertThat(trace)
                    .extracting(TraceReceiver.Received::name)
                    .anyMatch(name -> name.startsWith("GroupCommit.commit"))
                    .anyMatch(name -> name.startsWith("SettlementBoundary.recordMatch"))
                    .anyMatch(name -> name.startsWith("EventBus.publishEvent"));
            assertThat(RECEIVER.spans())
                    .as("the batches that applied the match's events (the read models' one processor, ADR 0018, and "
                            + "the webhooks'), linked to the request's trace")
                    .filteredOn(span -> span.name().startsWith("StreamingEventProcessor.batch")
                            && span.linkedTraces().contains(traceId))
                    .hasSizeGreaterThanOrEqualTo(2);
        });

        JsonNode events = TestAccounts.AUDITOR
                .client(port)
                .get("/api/players/" + p + "a/events")
                .json();
        assertThat(events.toString()).contains("\"requestId\":\"" + p + "request-1\"");
    }

    @Test
    void everyProblemNamesItsTraceEvenUnsampled() {
        Reply refused = TestAccounts.ADMIN.client(port).post("/api/matches", "{\"matchId\":\"\"}");
        assertThat(refused.status()).isEqualTo(400);
        String traceId = refused.header("traceparent").orElseThrow().substring(3, 35);
        assertThat(refused.json().path("traceId").asText()).isEqualTo(traceId);
        assertThat(RECEIVER.inTrace(traceId))
                .as("not sampled: no span exported")
                .isEmpty();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static TraceReceiver start() {
        try {
            return new TraceReceiver();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
