package io.matchledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpServer;
import io.matchledger.core.GroupCommit;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * CPU per match with tracing off and on, and with ten webhook subscriptions (issue 28), on the embedded H2, in one run:
 * {@code java -jar ledger-bench.jar --observability [--matches=N] [--clients=N]}. Each setting is a service of its
 * own (tracing and the sampler are fixed at start-up): the same pool of players, a warm-up, then three measured loads
 * through the group commit, each until every processor (and every webhook delivery) has handled its last event. The
 * spans of the sampled setting go to an OTLP/HTTP sink in this JVM, the webhooks to a receiver here, so that their
 * export and delivery are in the CPU measured.
 */
final class ObservabilityCost {

    private record Setting(String name, List<String> args, int webhooks) {}

    private ObservabilityCost() {}

    static void run(String[] args, Path outputDir, PrintStream out) throws Exception {
        int matches = intArg(args, "--matches=", 5000);
        int clients = intArg(args, "--clients=", 8);
        int players = intArg(args, "--players=", 1000);
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        AtomicLong spanExports = new AtomicLong();
        AtomicLong webhookPosts = new AtomicLong();
        sink.createContext("/v1/traces", exchange -> {
            exchange.getRequestBody().readAllBytes();
            spanExports.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhookPosts.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        sink.start();
        String base = "http://127.0.0.1:" + sink.getAddress().getPort();
        List<Setting> settings = List.of(
                new Setting("no tracing", List.of("--management.tracing.enabled=false"), 0),
                new Setting("tracing, none sampled", List.of("--management.tracing.sampling.probability=0.0"), 0),
                new Setting(
                        "tracing, 10% sampled and exported",
                        List.of(
                                "--management.tracing.sampling.probability=0.1",
                                "--management.otlp.tracing.endpoint=" + base + "/v1/traces"),
                        0),
                new Setting(
                        "ten webhook subscriptions (tracing none sampled)",
                        List.of(
                                "--management.tracing.sampling.probability=0.0",
                                "--ledger.webhooks.allowed-networks[0]=127.0.0.0/8",
                                "--ledger.webhooks.poll-interval=100ms"),
                        10));
        Map<String, Object> results = new LinkedHashMap<>();
        Path workDir = Files.createDirectories(outputDir);
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss", Locale.ROOT));
        CpuMeter cpu = CpuMeter.forDatabase(LedgerService.Database.h2());
        for (int s = 0; s < settings.size(); s++) {
            Setting setting = settings.get(s);
            try (LedgerService service = LedgerService.start(
                    LedgerService.Database.h2(), workDir, runId + "_o" + s, false, setting.args())) {
                CommandGateway commands = service.bean(CommandGateway.class);
                GroupCommit groups = service.bean(GroupCommit.class);
                JdbcTemplate jdbc = service.bean(JdbcTemplate.class);
                MatchPairs pool = new MatchPairs("pool-", players);
                ClosedLoad.run(8, players, i -> commands.sendAndWait(new RegisterPlayerCommand(pool.player(i), "P")));
                for (int w = 0; w < setting.webhooks(); w++) {
                    subscribe(service, "hook-" + w, base + "/hook");
                }
                String[] prefix = {"warm-"};
                ClosedLoad.run(clients, Math.max(500, matches / 4), i -> record(groups, pool, prefix[0] + i, i));
                drained(service, jdbc);
                List<Double> usPerMatch = new ArrayList<>();
                List<Double> perSecond = new ArrayList<>();
                for (int turn = 0; turn < 3; turn++) {
                    String turnPrefix = "t" + turn + "-";
                    CpuMeter.Reading before = cpu.read();
                    LoadResult load = ClosedLoad.run(clients, matches, i -> record(groups, pool, turnPrefix + i, i));
                    drained(service, jdbc);
                    usPerMatch.add(CpuMeter.processUsPer(before, cpu.read(), load.operations()));
                    perSecond.add(load.perSecond());
                }
                double mean = usPerMatch.stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(0);
                out.printf(
                        Locale.ROOT,
                        "observability: %-48s CPU per match %6.0f us (turns %s), %5.0f matches/s%n",
                        setting.name(),
                        mean,
                        usPerMatch.stream()
                                .map(us -> String.format(Locale.ROOT, "%.0f", us))
                                .toList(),
                        perSecond.stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElse(0));
                results.put(
                        setting.name(),
                        Map.of("cpuUsPerMatch", mean, "turns", usPerMatch, "matchesPerSecond", perSecond));
            }
        }
        sink.stop(0);
        results.put("spanExports", spanExports.get());
        results.put("webhookPosts", webhookPosts.get());
        results.put("matchesPerTurn", matches);
        results.put("clients", clients);
        Path written = workDir.resolve("observability-" + runId + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(written.toFile(), results);
        out.println("observability: written " + written);
    }

    private static void record(GroupCommit groups, MatchPairs pool, String matchId, int i) throws Exception {
        groups.record(new RecordMatchCommand(matchId, pool.winner(i), pool.loser(i), Outcome.WIN, null), Map.of())
                .get();
    }

    /** Until every processor has handled the store's last event, and no webhook delivery is pending. */
    private static void drained(LedgerService service, JdbcTemplate jdbc) throws InterruptedException {
        long head = jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
        EventProcessingConfiguration processing =
                service.bean(org.axonframework.config.Configuration.class).eventProcessingConfiguration();
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean caughtUp = processing.eventProcessors().values().stream()
                    .filter(StreamingEventProcessor.class::isInstance)
                    .map(StreamingEventProcessor.class::cast)
                    .allMatch(processor -> processor.processingStatus().values().stream()
                            .allMatch(status -> status.getCurrentPosition().orElse(0) >= head));
            long pending =
                    jdbc.queryForObject("select count(*) from webhook_delivery where state = 'PENDING'", Long.class);
            if (caughtUp && pending == 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the processors or the webhooks did not catch up within 10 minutes");
    }

    private static void subscribe(LedgerService service, String webhookId, String url) throws Exception {
        String body = "{\"url\":\"" + url + "\",\"events\":[\"season.sealed\",\"match.voided\",\"leaderboard.entered\","
                + "\"leaderboard.left\",\"season.leaderboard.entered\",\"season.leaderboard.left\"],"
                + "\"secret\":\"bench-secret-0123456789\",\"topN\":100}";
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + service.port() + "/api/webhooks/" + webhookId))
                                .header("Content-Type", "application/json")
                                .header(
                                        "Authorization",
                                        "Basic "
                                                + Base64.getEncoder()
                                                        .encodeToString((LedgerService.USER + ":" + service.password())
                                                                .getBytes(StandardCharsets.UTF_8)))
                                .PUT(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "subscribing " + webhookId + ": " + response.statusCode() + " " + response.body());
        }
    }

    private static int intArg(String[] args, String prefix, int otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return Integer.parseInt(arg.substring(prefix.length()));
            }
        }
        return otherwise;
    }
}
