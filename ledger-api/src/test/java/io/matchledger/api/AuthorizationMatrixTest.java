package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient.Reply;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Who may do what, cell by cell: every endpoint against no credentials, a wrong password and each role, over real
 * HTTP. A number is the exact status; {@code *} means "let through": the endpoint belongs to a later issue and does
 * not exist yet, so the answer is a 404, but never a 401 or 403. Denied cells are problems and change nothing. A wrong
 * password is refused even where no credentials are needed: a client with broken credentials should hear of it. The
 * player (roles READER and PLAYER) is registered on the ledger under its account name. The dashboard's pages are the
 * exception: a browser logs in with the form, so Basic credentials, right or wrong, are no login there (302 to
 * /login); what a browser session may do is in PlayerOnTheWebTest.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    /** The columns of the table, in its order. */
    enum Caller {
        NOBODY(null, null),
        WRONG_PASSWORD("admin", "admin-wrong"),
        RECORDER(TestAccounts.RECORDER),
        READER(TestAccounts.READER),
        AUDITOR(TestAccounts.AUDITOR),
        ADMIN(TestAccounts.ADMIN),
        PLAYER(TestAccounts.PLAYER);

        final String user;
        final String password;

        Caller(String user, String password) {
            this.user = user;
            this.password = password;
        }

        Caller(TestAccounts account) {
            this(account.user(), account.password());
        }
    }

    static final String NAME = "{\"name\":\"Matrix Player\"}";
    static final String MATCH = "{\"matchId\":\"{new}\",\"winner\":\"mx-a\",\"loser\":\"mx-b\"}";
    static final String BATCH = "{\"matches\":[" + MATCH + "]}";
    static final String ADJUSTMENT = "{\"adjustmentId\":\"{new}\",\"points\":1,\"reason\":\"matrix\"}";
    static final String VOID = "{\"reason\":\"matrix\"}";
    static final String ERASURE = "{\"reason\":\"matrix\"}";
    /** The receiver never answers (nothing listens on port 9): the subscription is made, its deliveries wait. */
    static final String WEBHOOK =
            "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"match.voided\"],\"secret\":\"matrix-secret-0123\"}";

    static final String OWN_MATCH = "{\"matchId\":\"{new}\",\"opponentId\":\"mx-b\",\"result\":\"DRAW\"}";

    /** {new} in a path or body is a fresh id per cell, so that every permitted write is a first write (201). */
    static Stream<Arguments> matrix() {
        return Stream.of(
                        //      method    path                                        body        nobody wrong recorder
                        // reader auditor admin player
                        endpoint("PUT", "/api/players/{new}", NAME, "401 401 201 403 403 201 403"),
                        endpoint("GET", "/api/players/mx-a", null, "401 401 403 200 200 200 200"),
                        endpoint("POST", "/api/players/mx-a/adjustments", ADJUSTMENT, "401 401 403 403 403 201 403"),
                        endpoint("POST", "/api/matches", MATCH, "401 401 201 403 403 201 403"),
                        endpoint("POST", "/api/matches/batch", BATCH, "401 401 200 403 403 200 403"),
                        endpoint("GET", "/api/matches/mx-m0", null, "401 401 403 200 200 200 200"),
                        endpoint("GET", "/api/leaderboard", null, "401 401 403 200 200 200 200"),
                        endpoint("GET", "/api/leaderboard/around/mx-a", null, "401 401 403 200 200 200 200"),
                        endpoint("GET", "/actuator/health", null, "200 401 200 200 200 200 200"),
                        endpoint("GET", "/v3/api-docs", null, "200 401 200 200 200 200 200"),
                        endpoint("GET", "/swagger-ui.html", null, "302 401 302 302 302 302 302"),
                        endpoint("GET", "/swagger-ui/index.html", null, "200 401 200 200 200 200 200"),
                        endpoint("GET", "/api/players/mx-a/matches", null, "401 401 403 200 200 200 200"),
                        endpoint(
                                "GET",
                                "/api/players/mx-a/points?asOf=2026-01-01T00:00:00Z",
                                null,
                                "401 401 403 200 200 200 200"),
                        endpoint("GET", "/api/players/mx-a/events", null, "401 401 403 403 200 200 403"),
                        endpoint("POST", "/api/matches/mx-m0/void", VOID, "401 401 403 403 403 201 403"),
                        endpoint("POST", "/api/players/mx-erasable/erasure", ERASURE, "401 401 403 403 403 201 403"),
                        endpoint("GET", "/api/audit/events", null, "401 401 403 403 200 200 403"),
                        endpoint("GET", "/api/audit/verify", null, "401 401 403 403 200 200 403"),
                        endpoint("GET", "/api/admin/projections", null, "401 401 403 403 403 200 403"),
                        // An unknown projection: the admin gets as far as the 404, and no real rebuild disturbs the
                        // other tests.
                        endpoint("POST", "/api/admin/projections/mx-none/rebuild", null, "401 401 403 403 403 404 403"),
                        endpoint("GET", "/api/players/mx-a/stream", null, "401 401 403 200 200 200 200"),
                        endpoint("GET", "/api/leaderboard/stream", null, "401 401 403 200 200 200 200"),
                        endpoint("GET", "/actuator/prometheus", null, "401 401 403 403 403 * 403"),
                        endpoint("POST", "/api/me/matches", OWN_MATCH, "401 401 403 403 403 403 201"),
                        // Webhooks are the operators': a subscription made here (mx-hook) and one that does not exist.
                        endpoint("PUT", "/api/webhooks/{new}", WEBHOOK, "401 401 403 403 403 201 403"),
                        endpoint("GET", "/api/webhooks", null, "401 401 403 403 403 200 403"),
                        endpoint("GET", "/api/webhooks/mx-hook", null, "401 401 403 403 403 200 403"),
                        endpoint("GET", "/api/webhooks/mx-hook/deliveries", null, "401 401 403 403 403 200 403"),
                        endpoint("POST", "/api/webhooks/mx-hook/resume", null, "401 401 403 403 403 200 403"),
                        endpoint("DELETE", "/api/webhooks/{new}", null, "401 401 403 403 403 404 403"),
                        // The dashboard: pages need a web login (the form), which Basic credentials are not; assets are
                        // open.
                        endpoint("GET", "/", null, "302 302 302 302 302 302 302"),
                        endpoint("GET", "/players/mx-a", null, "302 302 302 302 302 302 302"),
                        endpoint("GET", "/login", null, "200 200 200 200 200 200 200"),
                        endpoint("GET", "/css/dashboard.css", null, "200 200 200 200 200 200 200"),
                        endpoint("GET", "/js/ledger.js", null, "200 200 200 200 200 200 200"),
                        // Not in the contract: denied to everyone until it is given a role.
                        endpoint("GET", "/api/nothing-here", null, "401 401 403 403 403 403 403"),
                        endpoint("DELETE", "/api/players/mx-a", null, "401 401 403 403 403 403 403"),
                        endpoint("POST", "/api/leaderboard", "{}", "401 401 403 403 403 403 403"),
                        endpoint("GET", "/actuator/info", null, "401 401 403 403 403 403 403"),
                        endpoint("GET", "/error", null, "401 401 403 403 403 403 403"),
                        endpoint("GET", "/templates/login.html", null, "401 401 403 403 403 403 403"))
                .flatMap(List::stream);
    }

    static List<Arguments> endpoint(String method, String path, String body, String expected) {
        String[] cells = expected.split(" ");
        assertThat(cells).hasSameSizeAs(Caller.values());
        return Stream.of(Caller.values())
                .map(caller -> arguments(method + " " + path, caller, cells[caller.ordinal()], body))
                .toList();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    final AtomicInteger fresh = new AtomicInteger();

    @BeforeAll
    void twoPlayersAndAMatch() {
        LedgerClient admin = new LedgerClient(port);
        assertThat(admin.registerPlayer("mx-a", "Matrix A").status()).isIn(200, 201);
        assertThat(admin.registerPlayer("mx-b", "Matrix B").status()).isIn(200, 201);
        assertThat(admin.registerPlayer("mx-erasable", "Matrix E").status()).isIn(200, 201);
        assertThat(admin.registerPlayer(TestAccounts.PLAYER.user(), "Matrix Player")
                        .status())
                .isIn(200, 201);
        assertThat(admin.win("mx-m0", "mx-a", "mx-b").status()).isIn(200, 201);
        assertThat(admin.put("/api/webhooks/mx-hook", WEBHOOK).status()).isIn(200, 201);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(admin.get("/api/players/mx-a").status()).isEqualTo(200);
            assertThat(admin.get("/api/players/mx-b").status()).isEqualTo(200);
            assertThat(admin.get("/api/players/" + TestAccounts.PLAYER.user()).status())
                    .isEqualTo(200);
            assertThat(admin.get("/api/matches/mx-m0").status()).isEqualTo(200);
            assertThat(admin.get("/api/players/mx-a/matches").status()).isEqualTo(200);
        });
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @MethodSource("matrix")
    void answersEachCallerAsTheTableSays(String endpoint, Caller caller, String expected, String body) {
        String id = "mx-new-" + fresh.incrementAndGet();
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1).replace("{new}", id);
        long eventsBefore = eventCount();

        Reply reply = path.contains("/stream")
                ? firstMessage(path, caller)
                : new LedgerClient(port, caller.user, caller.password)
                        .send(method, path, body == null ? null : body.replace("{new}", id));

        String cell = endpoint + " as " + caller + ": " + reply;
        assertThat(reply.header("X-Request-Id")).as(cell).isPresent();
        if (dashboard(path)) {
            // A browser's session starts here: where to return after the login, the login form's CSRF token.
            if (reply.status() == 302) {
                assertThat(reply.header("Location"))
                        .as(cell)
                        .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
            }
        } else {
            assertThat(reply.header("Set-Cookie")).as("stateless: " + cell).isEmpty();
        }
        switch (expected) {
            case "*" -> assertThat(reply.status()).as(cell).isNotIn(401, 403);
            case "401" -> {
                assertThat(reply.status()).as(cell).isEqualTo(401);
                assertThat(reply.header("WWW-Authenticate")).as(cell).contains("Basic realm=\"match-ledger\"");
                assertProblem(reply, 401, "/problems/unauthorized", cell);
            }
            case "403" -> assertProblem(reply, 403, "/problems/forbidden", cell);
            default -> assertThat(reply.status()).as(cell).isEqualTo(Integer.parseInt(expected));
        }
        if (expected.equals("401") || expected.equals("403")) {
            assertThat(eventCount()).as("events appended by a refused " + cell).isEqualTo(eventsBefore);
        }
    }

    /** A stream answers its first message and goes on; the cell needs only that message, or the refusal. */
    Reply firstMessage(String path, Caller caller) {
        try (EventStreamClient stream = EventStreamClient.open(port, path, caller.user, caller.password)) {
            return stream.firstMessage();
        }
    }

    static boolean dashboard(String path) {
        return path.equals("/")
                || Stream.of("/players/", "/login", "/css/", "/js/").anyMatch(path::startsWith);
    }

    @Test
    void anUnknownAccountOrAMalformedHeaderIsUnauthorizedLikeAWrongPassword() {
        Reply unknown = new LedgerClient(port, "mallory", "admin-test").get("/api/leaderboard");
        assertProblem(unknown, 401, "/problems/unauthorized", unknown.toString());
        Reply malformed = LedgerClient.anonymous(port)
                .send("GET", "/api/leaderboard", null, "Authorization", "Basic not-base64!");
        assertProblem(malformed, 401, "/problems/unauthorized", malformed.toString());
        Reply bearer =
                LedgerClient.anonymous(port).send("GET", "/api/leaderboard", null, "Authorization", "Bearer abc");
        assertProblem(bearer, 401, "/problems/unauthorized", bearer.toString());
    }

    /**
     * The roles an operation needs are written twice, in the security configuration and in the document's
     * {@code x-roles} ({@code @Answers}): each documented operation of the table is let through for exactly the
     * callers its documented roles include (ADMIN &gt; AUDITOR &gt; READER, ADMIN &gt; RECORDER; the player also reads).
     */
    @Test
    void theDocumentedRolesAreTheOnesLetThrough() {
        JsonNode paths = LedgerClient.anonymous(port).get("/v3/api-docs").json().get("paths");
        Map<String, Set<Caller>> letThrough = new TreeMap<>();
        matrix().forEach(cell -> {
            Object[] args = cell.get();
            String status = (String) args[2];
            letThrough.computeIfAbsent((String) args[0], endpoint -> EnumSet.noneOf(Caller.class));
            if (!status.equals("401") && !status.equals("403")) {
                letThrough.get((String) args[0]).add((Caller) args[1]);
            }
        });
        int checked = 0;
        for (Map.Entry<String, Set<Caller>> endpoint : letThrough.entrySet()) {
            String[] methodAndPath = endpoint.getKey().split(" ");
            JsonNode operation = documented(
                    paths, methodAndPath[0].toLowerCase(), methodAndPath[1].split("\\?")[0]);
            if (operation == null) {
                continue;
            }
            Set<Caller> documented = EnumSet.noneOf(Caller.class);
            operation
                    .get("x-roles")
                    .forEach(role -> documented.addAll(
                            switch (role.asText()) {
                                case "RECORDER" -> EnumSet.of(Caller.RECORDER, Caller.ADMIN);
                                case "READER" -> EnumSet.of(Caller.READER, Caller.AUDITOR, Caller.ADMIN, Caller.PLAYER);
                                case "AUDITOR" -> EnumSet.of(Caller.AUDITOR, Caller.ADMIN);
                                case "ADMIN" -> EnumSet.of(Caller.ADMIN);
                                case "PLAYER" -> EnumSet.of(Caller.PLAYER);
                                default -> throw new AssertionError("unknown role " + role);
                            }));
            assertThat(endpoint.getValue()).as(endpoint.getKey()).isEqualTo(documented);
            checked++;
        }
        assertThat(checked).as("documented operations in the table").isGreaterThanOrEqualTo(19);
    }

    /** The operation whose path template matches {@code path}, the one with the fewest variables; null if none. */
    private static JsonNode documented(JsonNode paths, String method, String path) {
        JsonNode best = null;
        int fewest = Integer.MAX_VALUE;
        for (Iterator<String> templates = paths.fieldNames(); templates.hasNext(); ) {
            String template = templates.next();
            int variables = template.split("\\{", -1).length - 1;
            if (path.matches(template.replaceAll("\\{[^}]+}", "[^/]+"))
                    && paths.get(template).has(method)
                    && variables < fewest) {
                best = paths.get(template).get(method);
                fewest = variables;
            }
        }
        return best;
    }

    @Test
    void theServedApiDocumentNamesTheServiceAndSaysHowToAuthenticate() {
        JsonNode api = LedgerClient.anonymous(port).get("/v3/api-docs").json();
        assertThat(api.at("/components/securitySchemes/basic/scheme").asText()).isEqualTo("basic");
        assertThat(api.at("/security/0").has("basic")).isTrue();
        assertThat(api.at("/info/title").asText()).isEqualTo("Match Ledger");
        assertThat(api.at("/info/version").asText()).isEqualTo("v1");
    }

    @Test
    void theApiDocumentSaysThatEveryWriteMayAnswer503WithRetryAfter() {
        JsonNode paths = LedgerClient.anonymous(port).get("/v3/api-docs").json().get("paths");
        for (String operation : List.of(
                "/api/matches post",
                "/api/matches/batch post",
                "/api/matches/{matchId}/void post",
                "/api/players/{playerId} put",
                "/api/players/{playerId}/adjustments post",
                "/api/players/{playerId}/erasure post",
                "/api/me/matches post")) {
            String[] pathAndMethod = operation.split(" ");
            JsonNode responses =
                    paths.path(pathAndMethod[0]).path(pathAndMethod[1]).path("responses");
            assertThat(responses.path("503").path("headers").has("Retry-After"))
                    .as(operation)
                    .isTrue();
            assertThat(responses.path("503").path("description").asText())
                    .as(operation)
                    .contains("/problems/contention", "/problems/unavailable");
            assertThat(responses.fieldNames()).as(operation).toIterable().anyMatch(code -> code.startsWith("2"));
            assertThat(responses
                            .path("503")
                            .at("/content/application~1problem+json/schema/$ref")
                            .asText())
                    .as(operation)
                    .isEqualTo("#/components/schemas/Problem");
        }
    }

    static void assertProblem(Reply reply, int status, String type, String cell) {
        assertThat(reply.status()).as(cell).isEqualTo(status);
        assertThat(reply.contentType()).as(cell).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).as(cell).isEqualTo(status);
        assertThat(problem.get("type").asText()).as(cell).isEqualTo(type);
        assertThat(problem.hasNonNull("title")).as(cell).isTrue();
        assertThat(problem.hasNonNull("detail")).as(cell).isTrue();
        assertThat(reply.body()).as(cell).doesNotContain("Exception", "\tat ", "$2a$", "-test", "admin-wrong");
    }

    long eventCount() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }
}
