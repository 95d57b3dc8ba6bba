package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/** Bad input gets a 4xx problem naming the field and the reason, and no event is ever appended for it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class BadInputTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    LedgerClient client;

    @BeforeEach
    void twoPlayers() {
        client = new LedgerClient(port);
        client.registerPlayer("bad-a", "Bad A");
        client.registerPlayer("bad-b", "Bad B");
        client.adjust("bad-a", "bad-a-opening", 5, "opening balance");
    }

    static Stream<Arguments> badRequests() {
        String a = "bad-a";
        String b = "bad-b";
        return Stream.of(
                arguments("malformed JSON", "POST", "/api/matches", "{\"matchId\":", 400, null),
                arguments("empty body", "POST", "/api/matches", "", 400, null),
                arguments("JSON that is not an object", "POST", "/api/matches", "[1,2]", 400, null),
                arguments(
                        "trailing garbage",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-t\",\"winner\":\"bad-a\",\"loser\":\"bad-b\"} x",
                        400,
                        null),
                arguments(
                        "missing matchId",
                        "POST",
                        "/api/matches",
                        "{\"winner\":\"" + a + "\",\"loser\":\"" + b + "\"}",
                        400,
                        "matchId"),
                arguments(
                        "unknown field",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-u\",\"winner\":\"" + a + "\",\"loser\":\"" + b + "\",\"bonus\":5}",
                        400,
                        "bonus"),
                arguments(
                        "both shapes at once",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-both\",\"winner\":\"" + a + "\",\"loser\":\"" + b + "\",\"draw\":[\"" + a
                                + "\",\"" + b + "\"]}",
                        400,
                        "draw"),
                arguments("neither shape", "POST", "/api/matches", "{\"matchId\":\"m-none\"}", 400, "winner"),
                arguments(
                        "winner without loser",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-half\",\"winner\":\"" + a + "\"}",
                        400,
                        "loser"),
                arguments(
                        "draw of one player",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-d1\",\"draw\":[\"" + a + "\"]}",
                        400,
                        "draw"),
                arguments(
                        "draw of three players",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-d3\",\"draw\":[\"" + a + "\",\"" + b + "\",\"bad-c\"]}",
                        400,
                        "draw"),
                arguments(
                        "draw given as a string",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-ds\",\"draw\":\"" + a + "\"}",
                        400,
                        "draw"),
                arguments(
                        "invalid match id",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"bad id!\",\"winner\":\"" + a + "\",\"loser\":\"" + b + "\"}",
                        400,
                        "matchId"),
                arguments(
                        "invalid player id",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-pid\",\"winner\":\"-" + a + "\",\"loser\":\"" + b + "\"}",
                        400,
                        "winner"),
                arguments(
                        "number for a player id",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-num\",\"winner\":5,\"loser\":\"" + b + "\"}",
                        400,
                        "winner"),
                arguments(
                        "self-match",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-self\",\"winner\":\"" + a + "\",\"loser\":\"" + a + "\"}",
                        422,
                        "loser"),
                arguments(
                        "self-draw",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-selfd\",\"draw\":[\"" + a + "\",\"" + a + "\"]}",
                        422,
                        "draw"),
                arguments(
                        "occurredAt that is no instant",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-when\",\"winner\":\"" + a + "\",\"loser\":\"" + b
                                + "\",\"occurredAt\":\"yesterday\"}",
                        400,
                        "occurredAt"),
                arguments(
                        "unknown player",
                        "POST",
                        "/api/matches",
                        "{\"matchId\":\"m-ghost\",\"winner\":\"" + a + "\",\"loser\":\"ghost\"}",
                        404,
                        null),
                arguments(
                        "invalid player id in path",
                        "PUT",
                        "/api/players/bad%20id",
                        "{\"name\":\"X\"}",
                        400,
                        "playerId"),
                arguments("missing name", "PUT", "/api/players/bad-new", "{}", 400, "name"),
                arguments("blank name", "PUT", "/api/players/bad-new", "{\"name\":\"   \"}", 400, "name"),
                arguments(
                        "name too long",
                        "PUT",
                        "/api/players/bad-new",
                        "{\"name\":\"" + "x".repeat(101) + "\"}",
                        400,
                        "name"),
                arguments(
                        "control character in name",
                        "PUT",
                        "/api/players/bad-new",
                        "{\"name\":\"a\\u0007b\"}",
                        400,
                        "name"),
                arguments(
                        "points as a string",
                        "POST",
                        "/api/players/bad-a/adjustments",
                        "{\"adjustmentId\":\"adj-s\",\"points\":\"5\",\"reason\":\"r\"}",
                        400,
                        "points"),
                arguments(
                        "fractional points",
                        "POST",
                        "/api/players/bad-a/adjustments",
                        "{\"adjustmentId\":\"adj-f\",\"points\":1.5,\"reason\":\"r\"}",
                        400,
                        "points"),
                arguments(
                        "missing reason",
                        "POST",
                        "/api/players/bad-a/adjustments",
                        "{\"adjustmentId\":\"adj-r\",\"points\":1}",
                        400,
                        "reason"),
                arguments(
                        "adjustment below zero",
                        "POST",
                        "/api/players/bad-a/adjustments",
                        "{\"adjustmentId\":\"adj-neg\",\"points\":-6,\"reason\":\"too much\"}",
                        422,
                        null),
                arguments(
                        "adjustment of unknown player",
                        "POST",
                        "/api/players/ghost/adjustments",
                        "{\"adjustmentId\":\"adj-ghost\",\"points\":1,\"reason\":\"r\"}",
                        404,
                        null),
                arguments(
                        "reused adjustment id with other points",
                        "POST",
                        "/api/players/bad-a/adjustments",
                        "{\"adjustmentId\":\"bad-a-opening\",\"points\":6,\"reason\":\"opening balance\"}",
                        409,
                        null),
                arguments("limit zero", "GET", "/api/leaderboard?limit=0", null, 400, "limit"),
                arguments("limit not a number", "GET", "/api/leaderboard?limit=abc", null, 400, "limit"),
                arguments("negative offset", "GET", "/api/leaderboard?offset=-1", null, 400, "offset"),
                arguments("unknown player", "GET", "/api/players/ghost", null, 404, null),
                arguments("unknown match", "GET", "/api/matches/ghost-match", null, 404, null),
                // Under a mapped path; outside every mapping it is refused before routing (AuthorizationMatrixTest).
                arguments("unknown route", "GET", "/api/players/bad-a/nothing-here", null, 404, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isAnsweredWithAProblemAndChangesNothing(
            String what, String method, String path, String body, int status, String field) {
        long eventsBefore = eventCount();

        Reply reply = switch (method) {
            case "POST" -> client.post(path, body);
            case "PUT" -> client.put(path, body);
            default -> client.get(path);
        };

        assertThat(reply.status()).as(what + ": " + reply).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.hasNonNull("title")).isTrue();
        assertThat(problem.hasNonNull("detail")).isTrue();
        assertThat(problem.hasNonNull("type")).isTrue();
        if (field != null) {
            List<String> fields = new ArrayList<>();
            problem.get("errors").forEach(error -> {
                fields.add(error.get("field").asText());
                assertThat(error.get("message").asText()).isNotBlank();
            });
            assertThat(fields).as(reply.toString()).contains(field);
        }
        assertThat(reply.body()).doesNotContain("Exception", "\tat ", "org.axonframework", "SQL");
        assertThat(eventCount()).as("events appended by " + what).isEqualTo(eventsBefore);
    }

    long eventCount() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }
}
