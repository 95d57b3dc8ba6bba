package io.matchledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The HTTP side of the benchmark, run by {@link LedgerBenchmark} as a JVM of its own, as a game server or a dashboard
 * would call the service: over a socket, with HTTP Basic on every request. It prints its results as one line of JSON
 * on standard output, and its progress on standard error.
 * <pre>
 * record --port=P --clients=1,8,32 --matches=N --warmup=W --prefix=pool- --players=P [--paced] [--batch=B]
 *        POST /api/matches (or, with --batch above 1, POST /api/matches/batch with B matches each), a closed load per
 *        number of clients; with --paced, "@ready N" on standard output
 *        before each load, which then waits for a line on standard input, and "@done N" after it
 * read   --port=P --clients=C --requests=N --warmup=W --prefix=p- --players=P
 *        GET /api/leaderboard?limit=100 and GET /api/players/{id}
 * get    --port=P --path=/actuator/health --clients=8,32 --requests=N --warmup=W [--paced]
 *        GET of one path expecting 200, a closed load per number of clients, paced as record: the HTTP ceiling
 * </pre>
 * The password comes in the environment variable {@value #PASSWORD_VARIABLE}, never on a command line.
 */
public final class HttpLoadClient {

    static final String PASSWORD_VARIABLE = "LEDGER_BENCH_CLIENT_PASSWORD";
    /** Printed before a paced load: the benchmark reads the service's CPU, then lets the load go. */
    static final String READY = "@ready";
    /** Printed after a paced load. */
    static final String DONE = "@done";

    /** What a {@code record} run measured: one load per number of clients. */
    record Recorded(List<LoadResult> loads) {}

    /** What a {@code read} run measured. */
    /** {@code around}: measured within a season only (the all-time reads keep their two). */
    record Read(LoadResult leaderboard, LoadResult player, LoadResult around) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;
    private final String authorization;

    HttpLoadClient(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: HttpLoadClient record|read --port=... (see the class comment)");
        }
        Map<String, String> options = new HashMap<>();
        for (int a = 1; a < args.length; a++) {
            String[] pair = args[a].replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        String password = System.getenv(PASSWORD_VARIABLE);
        if (password == null) {
            throw new IllegalStateException(PASSWORD_VARIABLE + " is not set");
        }
        HttpLoadClient client = new HttpLoadClient(
                Integer.parseInt(options.get("port")), options.getOrDefault("user", LedgerService.USER), password);
        MatchPairs pool = new MatchPairs(
                options.getOrDefault("prefix", "pool-"), Integer.parseInt(options.getOrDefault("players", "2")));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
        Object result = switch (args[0]) {
            case "record" ->
                client.record(
                        pool,
                        integers(options.get("clients")),
                        Integer.parseInt(options.get("matches")),
                        warmup,
                        Boolean.parseBoolean(options.getOrDefault("paced", "false")),
                        Integer.parseInt(options.getOrDefault("batch", "1")));
            case "read" ->
                client.read(
                        pool,
                        Integer.parseInt(options.getOrDefault("clients", "1")),
                        Integer.parseInt(options.get("requests")),
                        warmup,
                        options.get("season"));
            case "get" ->
                client.get(
                        options.get("path"),
                        integers(options.get("clients")),
                        Integer.parseInt(options.get("requests")),
                        warmup,
                        Boolean.parseBoolean(options.getOrDefault("paced", "false")));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.out.println(new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        // The HTTP client's threads would keep the JVM alive a while longer.
        System.exit(0);
    }

    /**
     * {@code batch} 1: one POST /api/matches per match; more: POST /api/matches/batch with that many matches, and the
     * load's rate and counts are per match, its latencies per request.
     */
    Recorded record(MatchPairs pool, List<Integer> clients, int matches, int warmup, boolean paced, int batch)
            throws IOException {
        String prefix = batch == 1 ? "http-" : "http-b" + batch + "-";
        ClosedLoad.run(
                Math.min(8, clients.stream().mapToInt(Integer::intValue).max().orElse(1)),
                Math.max(1, warmup / batch),
                i -> record(pool, prefix + "w-", i, batch));
        BufferedReader go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<LoadResult> loads = new ArrayList<>();
        for (int count : clients) {
            if (paced) {
                System.out.println(READY + " " + count);
                System.out.flush();
                go.readLine();
            }
            String ids = prefix + count + "-";
            LoadResult load = ClosedLoad.run(count, Math.max(1, matches / batch), i -> record(pool, ids, i, batch))
                    .perMatch(batch);
            if (paced) {
                System.out.println(DONE + " " + count);
                System.out.flush();
            }
            System.err.printf(Locale.ROOT, "       http client: %s%n", load.describe("matches"));
            loads.add(load);
        }
        return new Recorded(loads);
    }

    /** The same GET at each number of clients, with the same client, authorization header and pacing as record. */
    Recorded get(String path, List<Integer> clients, int requests, int warmup, boolean paced) throws IOException {
        ClosedLoad.Operation once = i -> expect(200, get(path));
        ClosedLoad.run(
                Math.min(8, clients.stream().mapToInt(Integer::intValue).max().orElse(1)), Math.max(1, warmup), once);
        BufferedReader go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<LoadResult> loads = new ArrayList<>();
        for (int count : clients) {
            if (paced) {
                System.out.println(READY + " " + count);
                System.out.flush();
                go.readLine();
            }
            LoadResult load = ClosedLoad.run(count, requests, once);
            if (paced) {
                System.out.println(DONE + " " + count);
                System.out.flush();
            }
            System.err.printf(Locale.ROOT, "       http client: GET %s, %s%n", path, load.describe("requests"));
            loads.add(load);
        }
        return new Recorded(loads);
    }

    /** All time, or within {@code season} when it is not null (then also the around-me page). */
    Read read(MatchPairs players, int clients, int requests, int warmup, String season) {
        String in = season == null ? "" : "season=" + season;
        ClosedLoad.Operation leaderboard =
                i -> expect(200, get("/api/leaderboard?limit=100" + (season == null ? "" : "&" + in)));
        ClosedLoad.Operation player = i -> expect(
                200,
                get("/api/players/" + players.player(new SplittableRandom(i).nextInt(players.players()))
                        + (season == null ? "" : "?" + in)));
        ClosedLoad.Operation around = i -> expect(
                200,
                get("/api/leaderboard/around/" + players.player(new SplittableRandom(i).nextInt(players.players()))
                        + "?radius=5&" + in));
        ClosedLoad.run(clients, warmup, leaderboard);
        ClosedLoad.run(clients, warmup, player);
        LoadResult board = ClosedLoad.run(clients, requests, leaderboard);
        LoadResult one = ClosedLoad.run(clients, requests, player);
        if (season == null) {
            return new Read(board, one, null);
        }
        ClosedLoad.run(clients, warmup, around);
        return new Read(board, one, ClosedLoad.run(clients, requests, around));
    }

    /** The {@code i}-th request: one match, or the {@code batch} matches from {@code i * batch} on. */
    private void record(MatchPairs pool, String ids, int i, int batch) throws Exception {
        if (batch == 1) {
            post("/api/matches", match(pool, ids + i, i));
            return;
        }
        StringBuilder body = new StringBuilder("{\"matches\":[");
        for (int m = i * batch; m < (i + 1) * batch; m++) {
            body.append(m == i * batch ? "" : ",").append(match(pool, ids + m, m));
        }
        String results = post("/api/matches/batch", body.append("]}").toString());
        int recorded = results.split("\"status\":201", -1).length - 1;
        if (recorded != batch) {
            throw new IllegalStateException("expected " + batch + " matches recorded (201), got " + recorded + ": "
                    + results.substring(0, Math.min(500, results.length())));
        }
    }

    private static String match(MatchPairs pool, String matchId, int i) {
        return "{\"matchId\":\"" + matchId + "\",\"winner\":\"" + pool.winner(i) + "\",\"loser\":\"" + pool.loser(i)
                + "\"}";
    }

    private String post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        expect(path.endsWith("/batch") ? 200 : 201, response);
        return response.body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization);
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            String body = response.body();
            throw new IllegalStateException(
                    response.request().method() + " " + response.uri().getPath() + ": "
                            + response.statusCode() + " "
                            + (body.length() > 300 ? body.substring(0, 300) : body));
        }
    }

    private static List<Integer> integers(String csv) {
        return java.util.Arrays.stream(csv.split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
    }
}
