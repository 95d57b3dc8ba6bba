package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.matchledger.api.LedgerClient.Reply;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * What the benchmark measures can be watched in operation: Axon's command handling timers and its event processors'
 * timers and lag, at /actuator/prometheus, for admins only.
 * <p>
 * Spring Boot's tests turn metrics export off unless asked; {@link AutoConfigureObservability} turns it back on, so
 * the Prometheus registry and its endpoint exist here as they do in production.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
class PrometheusMetricsTest {

    @LocalServerPort
    int port;

    @Autowired
    GlobalMetricRegistry metricRegistry;

    @Test
    void anAdminScrapesCommandHandlingAndEventProcessorMetricsOnceAMatchIsRecorded() {
        LedgerClient recorder = TestAccounts.RECORDER.client(port);
        assertThat(recorder.registerPlayer("prom-a", "Prom A").status()).isEqualTo(201);
        assertThat(recorder.registerPlayer("prom-b", "Prom B").status()).isEqualTo(201);
        assertThat(recorder.win("prom-m1", "prom-a", "prom-b").status()).isEqualTo(201);

        LedgerClient admin = TestAccounts.ADMIN.client(port);
        AtomicReference<Reply> scraped = new AtomicReference<>();
        // The projections handle the match after it was acknowledged, so their timers may show up a moment later.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Reply reply = admin.get("/actuator/prometheus");
            scraped.set(reply);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(samples(reply, "eventProcessor_", "processorName=\"read-models\""))
                    .isNotEmpty();
        });
        Reply reply = scraped.get();
        assertThat(reply.contentType()).startsWith("text/plain");

        // The web records matches in groups (GroupCommit): the command on the bus is the group's.
        List<String> commandTimers = samples(reply, "commandBus_", "RecordMatchesCommand");
        assertThat(commandTimers).as("command handling timers of the match").isNotEmpty();
        assertThat(commandTimers).anyMatch(sample -> sample.contains("_seconds_count"));

        assertThat(samples(reply, "eventProcessor_", "processorName=\"read-models\""))
                .as("event handling timers of the read models (one processor, ADR 0018)")
                .anyMatch(sample -> sample.contains("_seconds_count"));
        assertThat(samples(reply, "eventProcessor_latency", "processorName=\"read-models\""))
                .as("how far the read models are behind the event store")
                .isNotEmpty();
        assertThat(metricRegistry.getClass().getSimpleName())
                .as("Axon's registry, with the short capacity window")
                .isEqualTo("WindowedMetricRegistry");
        assertThat(samples(reply, "eventProcessor_capacity", "processorName=\"read-models\""))
                .as("the share of the last %s the read models spent handling events", "10 s (MetricsConfiguration)")
                .isNotEmpty();
    }

    @Test
    void onlyAdminsMayScrapeTheMetrics() {
        assertThat(TestAccounts.READER.client(port).get("/actuator/prometheus").status())
                .isEqualTo(403);
        assertThat(TestAccounts.AUDITOR.client(port).get("/actuator/prometheus").status())
                .isEqualTo(403);
        assertThat(TestAccounts.RECORDER
                        .client(port)
                        .get("/actuator/prometheus")
                        .status())
                .isEqualTo(403);
        assertThat(LedgerClient.anonymous(port).get("/actuator/prometheus").status())
                .isEqualTo(401);
    }

    /** The sample lines (no comments) of meters whose name starts with {@code prefix} and that mention {@code tag}. */
    private static List<String> samples(Reply reply, String prefix, String tag) {
        return Arrays.stream(reply.body().split("\n"))
                .filter(line -> line.startsWith(prefix) && line.contains(tag))
                .toList();
    }
}
