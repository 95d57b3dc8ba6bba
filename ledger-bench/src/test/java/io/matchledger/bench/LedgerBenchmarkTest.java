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

        // Seasons: a turn without and one with a running season (--quick; four of each in a full run), and the reads
        // within a season.
        assertThat(h2.at("/seasons/turns").asText()).isEqualTo(SeasonPhase.QUICK_TURNS);
        assertThat(h2.at("/seasons/withoutSeason")).hasSize(1);
        assertThat(h2.at("/seasons/withSeason")).hasSize(1);
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

        // Issue 25: the open-loop rate of either side. Which rate a side holds on a shared machine is the
        // benchmark's to report: every probe must have run and measured, and the held rate be a number (0 when even
        // the lowest probe missed), never a given size.
        JsonNode openLoop = h2.path("openLoop");
        positive(openLoop, "windowSeconds");
        positive(openLoop, "probeSeconds");
        positive(openLoop, "senders");
        assertThat(openLoop.path("ledgerVsCrud").isNumber()).isTrue();
        for (String side : List.of("ledger", "crudLedger")) {
            JsonNode rate = openLoop.path(side);
            positive(rate, "startRate");
            assertThat(rate.path("heldRate").isNumber()).as(side).isTrue();
            assertThat(rate.path("heldRate").asDouble()).as(side).isGreaterThanOrEqualTo(0);
            assertThat(rate.path("probes").size()).as(side).isGreaterThan(RatePhase.PROBES);
            for (JsonNode probe : rate.path("probes")) {
                positive(probe, "run/targetRate");
                positive(probe, "run/matches");
                positive(probe, "run/achievedRate");
                latency(
                        probe.at("/run/commands"),
                        probe.at("/run/matches").asLong()
                                - probe.at("/run/errors").asLong());
                assertThat(probe.at("/run/lag").isMissingNode())
                        .as(side + " " + probe)
                        .isEqualTo(side.equals("crudLedger"));
                assertThat(probe.at("/cpu/processUsPerMatch").asDouble()).isGreaterThanOrEqualTo(0);
                assertThat(probe.path("held").asBoolean())
                        .isEqualTo(probe.path("why").isMissingNode());
            }
            if (rate.path("heldRate").asDouble() > 0) {
                assertThat(rate.at("/held/confirmation").asBoolean()).isTrue();
            }
        }
        positive(openLoop, "ledger/probes/0/cpu/processUsPerMatch");

        // Baseline (e) and the HTTP ceiling, at 8 and 32 clients, with the ledger's HTTP rate beside them.
        for (String loads : List.of("crudOverHttp", "health")) {
            JsonNode atClients = h2.at("/httpBaselines/" + loads);
            assertThat(atClients)
                    .extracting(load -> load.path("clients").asInt())
                    .containsExactly(8, 32);
            for (JsonNode load : atClients) {
                load(load);
                positive(load, "cpu/processUsPerMatch");
            }
        }
        assertThat(h2.at("/httpBaselines/ratios")).hasSize(2);
        for (JsonNode ratio : h2.at("/httpBaselines/ratios")) {
            for (String field : List.of(
                    "ledgerHttp",
                    "crudOverHttp",
                    "health",
                    "ledgerVsCrudOverHttp",
                    "ledgerVsHealth",
                    "crudOverHttpVsHealth")) {
                positive(ratio, field);
            }
        }

        // One rebuild target per projection; three season reads and the season's CPU; issue 25's open-loop rate and
        // (e) at 8 and 32 clients.
        assertThat(h2.path("targets")).hasSize(18);
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
