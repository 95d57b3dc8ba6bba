package io.matchledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for tests: what a game server or a dashboard would send, over a real socket. */
public final class LedgerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public LedgerClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Reply(int status, String contentType, String body) {

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
        return send(request(path).GET());
    }

    public Reply put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                                 .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply registerPlayer(String playerId, String name) {
        return put("/api/players/" + playerId, "{\"name\":\"" + name + "\"}");
    }

    public Reply adjust(String playerId, String adjustmentId, int points, String reason) {
        return post("/api/players/" + playerId + "/adjustments",
                    "{\"adjustmentId\":\"" + adjustmentId + "\",\"points\":" + points + ",\"reason\":\"" + reason
                            + "\"}");
    }

    public Reply win(String matchId, String winner, String loser) {
        return post("/api/matches",
                    "{\"matchId\":\"" + matchId + "\",\"winner\":\"" + winner + "\",\"loser\":\"" + loser + "\"}");
    }

    public Reply draw(String matchId, String first, String second) {
        return post("/api/matches",
                    "{\"matchId\":\"" + matchId + "\",\"draw\":[\"" + first + "\",\"" + second + "\"]}");
    }

    /** The player's points as the read model shows them, or -1 while it does not know the player. */
    public long pointsOf(String playerId) {
        Reply reply = get("/api/players/" + playerId);
        return reply.status() == 200 ? reply.json().get("points").asLong() : -1;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                             response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
