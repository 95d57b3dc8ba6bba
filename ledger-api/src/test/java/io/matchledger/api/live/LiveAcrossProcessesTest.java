package io.matchledger.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.EventStreamClient;
import io.matchledger.api.LedgerApplication;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.TestAccounts;
import io.matchledger.projections.ReadModels;
import java.nio.file.Path;
import java.time.Duration;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two ledger processes on one database (here two applications in one JVM on the same H2 files), the standings
 * projection running in the first only. A dashboard watching the second process sees a match that the first process
 * recorded and projected: the second process handled neither the command nor its events, and still pushes, because
 * the push follows the shared read model rather than anything that happens inside a process.
 */
class LiveAcrossProcessesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStreamOfAProcessWithoutTheProjectionSeesWhatAnotherProcessProjected(@TempDir Path dataDir) throws Exception {
        try (ConfigurableApplicationContext projecting = start(dataDir)) {
            StreamingEventProcessor standingsThere = standings(projecting);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !standingsThere.processingStatus().isEmpty());

            try (ConfigurableApplicationContext watching = start(dataDir)) {
                StreamingEventProcessor standingsHere = standings(watching);
                standingsHere.shutDown(); // this process never projects the standings
                int port = port(watching);
                LedgerClient recorder = TestAccounts.RECORDER.client(port(projecting));
                assertThat(recorder.registerPlayer("far-a", "Far A").status()).isEqualTo(201);
                assertThat(recorder.registerPlayer("far-b", "Far B").status()).isEqualTo(201);
                LedgerClient reader = TestAccounts.READER.client(port);
                // Both registrations first: far-b's would otherwise change far-a's rank, and push a view, meanwhile.
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> reader.get("/api/players/far-a").status() == 200
                                && reader.get("/api/players/far-b").status() == 200);

                try (EventStreamClient stream =
                        EventStreamClient.open(port, "/api/players/far-a/stream", TestAccounts.READER)) {
                    assertThat(json(stream.nextData()).get("points").asLong()).isZero();

                    assertThat(recorder.win("far-m1", "far-a", "far-b").status())
                            .isEqualTo(201);

                    JsonNode pushed = json(stream.nextData());
                    assertThat(pushed.get("points").asLong()).isEqualTo(3);
                    assertThat(pushed.get("wins").asLong()).isEqualTo(1);
                }
                assertThat(standingsHere.isRunning()).isFalse();
                assertThat(standingsHere.processingStatus())
                        .as("segments held by the watching process")
                        .isEmpty();
            }
        }
    }

    static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--ledger.data-dir=" + dataDir,
                        "--ledger.shared-store=true",
                        "--logging.level.root=warn");
    }

    static StreamingEventProcessor standings(ConfigurableApplicationContext app) {
        return app.getBean(Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessorByProcessingGroup(ReadModels.PROCESSING_GROUP)
                .map(StreamingEventProcessor.class::cast)
                .orElseThrow();
    }

    static int port(ConfigurableApplicationContext app) {
        return app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
