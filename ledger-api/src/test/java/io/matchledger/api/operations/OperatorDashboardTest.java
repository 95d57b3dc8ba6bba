package io.matchledger.api.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.TestAccounts;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.yaml.snakeyaml.Yaml;

/**
 * The dashboard and the alerts of ops/ against the real thing: Debian's Prometheus scrapes this running service
 * (as its admin, every second) under a small load, and every query of the Grafana dashboard and the signal of every
 * alert rule (its expression with the comparison made {@code bool}, so that it answers whether or not it fires) must
 * return data, not an empty vector: a metric renamed or a label dropped would leave a panel blank and an alert mute.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.read-your-writes.max-wait=300ms")
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
class OperatorDashboardTest {

    static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    Process prometheus;
    final AtomicBoolean loading = new AtomicBoolean(true);

    @AfterEach
    void stop() throws InterruptedException {
        loading.set(false);
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor();
        }
    }

    @Test
    void everyDashboardQueryAndAlertSignalReturnsDataFromARunningService() throws Exception {
        Path binary = Tools.required("prometheus");
        int prometheusPort = freePort();
        Path dir = Files.createDirectories(Path.of("target", "operator-dashboard"));
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: match-ledger
                    metrics_path: /actuator/prometheus
                    basic_auth: {username: %s, password: %s}
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(
                OPS.resolve("prometheus/alerts.yml"), TestAccounts.ADMIN.user(), TestAccounts.ADMIN.password(), port));
        prometheus = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml").toAbsolutePath(),
                        "--storage.tsdb.path="
                                + dir.resolve("data-" + System.nanoTime()).toAbsolutePath(),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();

        Thread load = new Thread(this::load, "dashboard-load");
        load.start();

        Map<String, String> queries = new LinkedHashMap<>();
        JsonNode dashboard = JSON.readTree(
                OPS.resolve("grafana/dashboards/match-ledger.json").toFile());
        dashboard
                .get("panels")
                .forEach(panel -> panel.get("targets")
                        .forEach(target -> queries.put(
                                "panel " + panel.get("title").asText(),
                                target.get("expr").asText())));
        Map<String, Object> rules = new Yaml().load(Files.readString(OPS.resolve("prometheus/alerts.yml")));
        for (Object group : (List<?>) rules.get("groups")) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> alert = (Map<?, ?>) rule;
                queries.put(
                        "alert " + alert.get("alert"), signal(alert.get("expr").toString()));
            }
        }
        assertThat(queries).hasSizeGreaterThan(15);
        for (Map.Entry<String, String> query : queries.entrySet()) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(result(prometheusPort, query.getValue()))
                            .as(() -> query.getKey() + ": " + query.getValue() + "\n(the scrape: "
                                    + quietly(prometheusPort, "up") + ")")
                            .isNotEmpty());
        }
    }

    /** The alert's expression with its last comparison made {@code bool}: 0 or 1 wherever the signal has data. */
    static String signal(String expr) {
        String signal = expr.strip().replaceFirst("(==|!=|>=|<=|>|<)\\s*([0-9.]+)$", "$1 bool $2");
        assertThat(signal).as("a signal compared with a threshold: " + expr).contains(" bool ");
        return signal;
    }

    private String quietly(int prometheusPort, String query) {
        try {
            return result(prometheusPort, query).toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private List<JsonNode> result(int prometheusPort, String query) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                                + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).as(response.body()).isEqualTo("success");
        List<JsonNode> values = new ArrayList<>();
        body.at("/data/result").forEach(values::add);
        return values;
    }

    /**
     * A small load, for as long as the test runs (90 s at most): matches, now and then a void, a read of one's own
     * write, a read that cannot see its position in time (503 not-yet-visible), a refused request.
     */
    private void load() {
        LedgerClient admin = TestAccounts.ADMIN.client(port);
        String p = "dash" + System.nanoTime() % 100_000 + "-";
        for (int i = 0; i < 4; i++) {
            admin.registerPlayer(p + i, "Player " + i);
        }
        AtomicInteger n = new AtomicInteger();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (loading.get() && System.nanoTime() < until) {
            int i = n.incrementAndGet();
            LedgerClient.Reply match = admin.win(p + "m" + i, p + (i % 4), p + ((i + 1) % 4));
            String position = match.header("Ledger-Position").orElse("0");
            admin.get("/api/players/" + p + (i % 4) + "?minPosition=" + position);
            if (i % 5 == 0) {
                admin.post("/api/matches/" + p + "m" + i + "/void", "{\"reason\":\"dashboard load\"}");
                admin.get("/api/players/" + p + "0?minPosition=" + Long.MAX_VALUE / 2);
                admin.post("/api/matches", "{\"matchId\":\"\"}");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
