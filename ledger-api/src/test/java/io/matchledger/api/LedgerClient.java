package io.matchledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A plain HTTP client for tests: what a game server or a dashboard would send, over a real socket, with HTTP Basic
 * credentials on every request.
 */
public final class LedgerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    /** As the test profile's admin, who may do everything. */
    public LedgerClient(int port) {
        this(port, TestAccounts.ADMIN.user(), TestAccounts.ADMIN.password());
    }

    /** As {@code user}; a null user sends no credentials at all. */
    public LedgerClient(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = user == null
                ? null
                : "Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static LedgerClient anonymous(int port) {
        return new LedgerClient(port, null, null);
    }

    public record Reply(int status, String contentType, String body, HttpHeaders headers) {

        public Reply(int status, String contentType, String body) {
            this(status, contentType, body, HttpHeaders.of(Map.of(), (name, value) -> true));
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Reply get(String path) {
        return send("GET", path, request(path).GET());
    }

    public Reply put(String path, String json) {
        return send(
                "PUT",
                path,
                request(path)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply post(String path, String json) {
        return send(
                "POST",
                path,
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any method, a JSON body or none (null), and extra headers given as name, value, name, value... */
    public Reply send(String method, String path, String json, String... headers) {
        return exchange(method, path, json == null ? null : HttpRequest.BodyPublishers.ofString(json), headers);
    }

    /** With a body of unknown length, which goes over the wire chunked, without a Content-Length. */
    public Reply sendChunked(String method, String path, byte[] body, String... headers) {
        return exchange(
                method, path, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)), headers);
    }

    public Reply registerPlayer(String playerId, String name) {
        return put("/api/players/" + playerId, "{\"name\":\"" + name + "\"}");
    }

    public Reply adjust(String playerId, String adjustmentId, int points, String reason) {
        return post(
                "/api/players/" + playerId + "/adjustments",
                "{\"adjustmentId\":\"" + adjustmentId + "\",\"points\":" + points + ",\"reason\":\"" + reason + "\"}");
    }

    public Reply win(String matchId, String winner, String loser) {
        return post(
                "/api/matches",
                "{\"matchId\":\"" + matchId + "\",\"winner\":\"" + winner + "\",\"loser\":\"" + loser + "\"}");
    }

    public Reply draw(String matchId, String first, String second) {
        return post(
                "/api/matches", "{\"matchId\":\"" + matchId + "\",\"draw\":[\"" + first + "\",\"" + second + "\"]}");
    }

    /** The player's points as the read model shows them, or -1 while it does not know the player. */
    public long pointsOf(String playerId) {
        Reply reply = get("/api/players/" + playerId);
        return reply.status() == 200 ? reply.json().get("points").asLong() : -1;
    }

    private Reply exchange(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request =
                request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(method, path, request);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    /** Every answer from {@code /api} is held to the service's own OpenAPI document ({@link ContractCheck}). */
    private Reply send(String method, String path, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Reply reply = new Reply(
                    response.statusCode(),
                            response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers());
            ContractCheck.check(base, method, path, reply);
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
