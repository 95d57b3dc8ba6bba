package io.matchledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness runs end to end on a tiny load and reports every section: the service in-process on H2, the HTTP client
 * in its own JVM, the baselines, seeding, replay, history, lag, reads and memory. It checks that each number is there
 * and positive, never how large it is: timings are the benchmark's to report, not a test's to assert.
 */
class LedgerBenchmarkTest {

    @TempDir
    Path output;

    @Test
    // A guard against a hang, not a timing assertion: the quick run takes well under a minute.
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aQuickRunOnH2ReportsEverySectionWithPositiveNumbers() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path written;
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            written = LedgerBenchmark.run(new String[] {"--quick", "--databases=h2", "--output-dir=" + output}, out);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        System.out.println(printed);

        assertThat(written).exists();
        assertThat(output.resolve("benchmark-latest.json")).hasSameTextualContentAs(written);
        assertThat(printed).contains("[100%").contains("verdict").contains("postgresql");

        JsonNode report = new ObjectMapper().readTree(Files.readString(written));
        assertThat(report.path("smoke").asBoolean()).isTrue();
        JsonNode h2 = database(report, "h2");
        assertThat(h2.path("status").asText()).as(h2.toString()).isEqualTo("measured");
        assertThat(database(report, "postgresql").path("status").asText()).isEqualTo("skipped");

        positive(h2, "startupSeconds");
        loads(h2.at("/ledger/inProcess"));
        loads(h2.at("/ledger/http"));
        int batchSize = h2.at("/ledger/httpBatchSize").asInt();
        assertThat(batchSize).isGreaterThan(1);
        loads(h2.at("/ledger/httpBatches"), batchSize);
        positive(h2, "baselines/payloadBytes");
        positive(h2, "baselines/metadataBytes");
        loads(h2.at("/baselines/atomicUpdates"));
        loads(h2.at("/baselines/matchWithUpdates"));
        loads(h2.at("/baselines/rawAppend"));
        loads(h2.at("/baselines/crudLedger"));
        // CPU per match. On H2 only the benchmark JVM's: no PostgreSQL processes to read. The JVM counts process CPU
        // in clock ticks (10 ms on Linux), more than a quick baseline load of 40 matches may take: each ledger load
        // takes many ticks and must show them; the baselines must show CPU over their twelve loads together.
        double baselineCpu = 0;
        for (String loads : List.of(
                "ledger/inProcess",
                "ledger/http",
                "baselines/atomicUpdates",
                "baselines/matchWithUpdates",
                "baselines/rawAppend",
                "baselines/crudLedger")) {
            for (JsonNode load : h2.at("/" + loads)) {
                JsonNode cpu = load.path("cpu");
                for (String field : List.of("processUsPerMatch", "processUsPerMatchInLoad", "catchUpSeconds")) {
                    assertThat(cpu.path(field).isNumber())
                            .as(loads + ": " + field + " in " + load)
                            .isTrue();
                    assertThat(cpu.path(field).asDouble())
                            .as(loads + ": " + field + " in " + load)
                            .isGreaterThanOrEqualTo(0);
                }
                assertThat(cpu.path("processUsPerMatch").asDouble())
                        .as(loads + " " + load)
                        .isGreaterThanOrEqualTo(
                                cpu.path("processUsPerMatchInLoad").asDouble());
                assertThat(cpu.has("postgresUsPerMatch")).as(loads + " " + load).isFalse();
                if (loads.startsWith("ledger/")) {
                    positive(cpu, "processUsPerMatch");
                    positive(cpu, "processUsPerMatchInLoad");
                } else {
                    baselineCpu += cpu.path("processUsPerMatch").asDouble();
                }
            }
        }
        assertThat(baselineCpu).as("the baselines' CPU per match, summed").isPositive();
        assertThat(h2.at("/ledger/idleCpuCores").isNumber()).isTrue();
        assertThat(h2.at("/ledger/idleCpuCores").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(h2.at("/ratios")).hasSize(3);
        for (JsonNode ratio : h2.at("/ratios")) {
            for (String field : List.of(
                    "inProcessVsAtomicUpdates",
                    "inProcessVsMatchWithUpdates",
                    "inProcessVsRawAppend",
                    "inProcessVsCrudLedger",
                    "httpVsRawAppend",
                    "httpVsCrudLedger")) {
                positive(ratio, field);
            }
        }

        assertThat(h2.at("/replay/events").asLong()).isGreaterThanOrEqualTo(3_000);
        for (String field : List.of(
                "seedSeconds",
                "seedEventsPerSecond",
                "firstBatchSeconds",
                "seconds",
                "eventsPerSecond",
                "otherProjectionsCatchUpSeconds")) {
            positive(h2, "replay/" + field);
        }
        for (String projection : List.of("standings", "matches", "history")) {
            positive(h2, "replay/rebuildEventsPerSecond/" + projection);
        }

        assertThat(h2.at("/history"))
                .extracting(h -> h.path("earlierMatches").asInt())
                .containsExactly(0, 100, 1000);
        for (JsonNode history : h2.at("/history")) {
            positive(history, "firstMs");
            latency(history.path("inMemory"), 10);
            latency(history.path("evicted"), 3);
        }

        JsonNode lag = h2.path("lag");
        positive(lag, "targetRate");
        positive(lag, "achievedRate");
        positive(lag, "matches");
        assertThat(lag.path("errors").asLong()).isZero();
        assertThat(lag.path("unseen").asLong()).isZero();
        latency(lag.path("commands"), lag.path("matches").asLong());
        latency(lag.path("lag"), lag.path("matches").asLong());

        positive(h2, "reads/players");
        load(h2.at("/reads/leaderboard"));
        load(h2.at("/reads/player"));

        // Seasons: four turns each without and with a running season, and the reads within a season.
        assertThat(h2.at("/seasons/turns").asText()).isEqualTo("ABBABAAB");
        assertThat(h2.at("/seasons/withoutSeason")).hasSize(4);
        assertThat(h2.at("/seasons/withSeason")).hasSize(4);
        assertThat(h2.at("/seasons/threadsWith").size()).isPositive();
        for (JsonNode turn : h2.at("/seasons/withSeason")) {
            positive(turn, "cpu/processUsPerMatch");
        }
        positive(h2, "seasons/cpuRatio");
        load(h2.at("/seasons/leaderboard"));
        load(h2.at("/seasons/player"));
        load(h2.at("/seasons/around"));

        positive(h2, "memory/rssPeakMb");
        positive(h2, "memory/heapMaxMb");
        positive(h2, "memory/heapPeakUsedMb");

        // One rebuild target per projection; three season reads and the season's CPU.
        assertThat(h2.path("targets")).hasSize(15);
        for (JsonNode target : h2.path("targets")) {
            assertThat(target.path("verdict").asText()).as(target.toString()).isIn("PASS", "MISS", "n/a");
            assertThat(target.path("value").asText()).isNotBlank();
        }
    }

    private static JsonNode database(JsonNode report, String name) {
        for (JsonNode database : report.path("databases")) {
            if (database.path("database").asText().equals(name)) {
                return database;
            }
        }
        throw new AssertionError("no database " + name + " in " + report);
    }

    private static void loads(JsonNode loads) {
        loads(loads, 1);
    }

    /** {@code matchesPerRequest}: a batch load counts matches, its latencies requests. */
    private static void loads(JsonNode loads, int matchesPerRequest) {
        assertThat(loads).as("one load per number of clients").hasSize(3);
        assertThat(loads).extracting(load -> load.path("clients").asInt()).containsExactly(1, 8, 32);
        loads.forEach(load -> load(load, matchesPerRequest));
    }

    private static void load(JsonNode load) {
        load(load, 1);
    }

    private static void load(JsonNode load, int matchesPerRequest) {
        assertThat(load.path("errors").asLong()).as(load.toString()).isZero();
        positive(load, "operations");
        positive(load, "seconds");
        positive(load, "perSecond");
        latency(load.path("latency"), load.path("operations").asLong() / matchesPerRequest);
    }

    private static void latency(JsonNode latency, long count) {
        assertThat(latency.path("count").asLong()).as(latency.toString()).isEqualTo(count);
        for (String field : List.of("p50Ms", "p99Ms", "maxMs", "meanMs")) {
            positive(latency, field);
        }
    }

    private static void positive(JsonNode node, String path) {
        JsonNode value = node.at("/" + path);
        assertThat(value.isNumber()).as(path + " in " + node).isTrue();
        assertThat(value.asDouble()).as(path + " in " + node).isPositive();
    }
}
