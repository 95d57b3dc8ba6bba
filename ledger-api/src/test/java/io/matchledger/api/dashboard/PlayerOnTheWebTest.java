package io.matchledger.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.TestAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A player on the web, as a browser talks to the service: the login form, a session cookie, the page's CSRF token on
 * every write made with that session, and a player who can only ever speak for themselves. Basic clients of the same
 * API need no token and get no session.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class PlayerOnTheWebTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final Pattern META_CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");

    @LocalServerPort
    int port;

    LedgerClient admin;
    String me;
    String opponent;

    @BeforeEach
    void players() {
        admin = new LedgerClient(port);
        me = TestAccounts.PLAYER.user();
        opponent = "web-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.registerPlayer(me, "Web Player").status()).isIn(200, 201);
        assertThat(admin.registerPlayer(opponent, "Web Opponent").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> admin.get("/api/players/" + opponent).status() == 200);
    }

    @Test
    void aPlayerLogsInWithTheFormAndTheSessionOpensThePagesAndTheApi() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get("/players/" + opponent);
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).endsWith("/login"));

        HttpResponse<String> form = browser.get("/login");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<label for=\"username\">", "<label for=\"password\">");
        String token = find(HIDDEN_CSRF, form.body());

        assertThat(browser.postForm("/login", "username", me, "password", TestAccounts.PLAYER.password())
                        .statusCode())
                .as("a login without the form's CSRF token")
                .isEqualTo(403);
        HttpResponse<String> wrong = browser.postForm("/login", "username", me, "password", "not-it", "_csrf", token);
        assertThat(wrong.headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).endsWith("/login?error"));

        HttpResponse<String> loggedIn = browser.logIn(TestAccounts.PLAYER);
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).contains("/players/" + opponent));
        assertThat(loggedIn.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).contains("JSESSIONID=", "HttpOnly", "SameSite=Lax"));

        page = browser.get("/players/" + opponent);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self'"));
        assertThat(page.body())
                .contains(
                        "<meta name=\"ledger-player\" content=\"" + me + "\">",
                        "<meta name=\"ledger-viewed\" content=\"" + opponent + "\">",
                        "I lost to this player",
                        "Declare draw");
        assertThat(find(META_CSRF, page.body())).isNotBlank();

        HttpResponse<String> view = browser.get("/api/players/" + opponent);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(json(view.body()).get("playerId").asText()).isEqualTo(opponent);
    }

    @Test
    void aWriteWithTheSessionNeedsThePagesTokenAndABasicClientNeedsNone() {
        Browser browser = new Browser();
        browser.logIn(TestAccounts.PLAYER);
        String token = browser.pageToken("/players/" + opponent);

        HttpResponse<String> withoutToken = browser.postJson("/api/me/matches", declaration("w-1", "LOSS"), null);
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(json(withoutToken.body()).get("type").asText()).isEqualTo("/problems/csrf");
        assertThat(admin.get("/api/matches/" + id("w-1")).status())
                .as("nothing recorded")
                .isEqualTo(404);

        assertThat(browser.postJson("/api/me/matches", declaration("w-1", "LOSS"), token)
                        .statusCode())
                .isEqualTo(201);

        LedgerClient.Reply basic = TestAccounts.PLAYER.client(port).post("/api/me/matches", declaration("w-2", "DRAW"));
        assertThat(basic.status()).as("Basic needs no CSRF token").isEqualTo(201);
        assertThat(basic.header("Set-Cookie")).as("and gets no session").isEmpty();
    }

    @Test
    void aPlayerConcedesOnlyTheirOwnLossAndDeclaresOnlyDrawsTheyPlayIn() {
        LedgerClient player = TestAccounts.PLAYER.client(port);

        assertThat(player.post("/api/me/matches", declaration("own-loss", "LOSS"))
                        .status())
                .isEqualTo(201);
        JsonNode loss = awaitMatch(id("own-loss"));
        assertThat(loss.get("outcome").asText()).isEqualTo("WIN");
        assertThat(side(loss, opponent).get("result").asText()).isEqualTo("WIN");
        assertThat(side(loss, me).get("result").asText()).isEqualTo("LOSS");

        assertThat(player.post("/api/me/matches", declaration("own-draw", "DRAW"))
                        .status())
                .isEqualTo(201);
        JsonNode draw = awaitMatch(id("own-draw"));
        assertThat(draw.get("outcome").asText()).isEqualTo("DRAW");
        assertThat(side(draw, me).get("points").asInt()).isEqualTo(1);
        assertThat(side(draw, opponent).get("points").asInt()).isEqualTo(1);

        // Nothing in the body can name who loses or who draws: the player is the account.
        assertThat(player.post(
                                "/api/me/matches",
                                "{\"matchId\":\"" + id("x-1") + "\",\"opponentId\":\"" + opponent
                                        + "\",\"result\":\"WIN\"}")
                        .status())
                .as("a player cannot claim a win")
                .isEqualTo(400);
        assertThat(player.post(
                                "/api/me/matches",
                                "{\"matchId\":\"" + id("x-2") + "\",\"opponentId\":\"" + opponent
                                        + "\",\"result\":\"LOSS\",\"playerId\":\"" + opponent + "\"}")
                        .status())
                .as("nor speak for someone else")
                .isEqualTo(400);
        assertThat(player.post(
                                "/api/me/matches",
                                "{\"matchId\":\"" + id("x-3") + "\",\"opponentId\":\"" + me + "\",\"result\":\"DRAW\"}")
                        .status())
                .as("nor play against themselves: a broken rule, as the ledger answers it")
                .isEqualTo(422);
        assertThat(TestAccounts.READER
                        .client(port)
                        .post("/api/me/matches", declaration("x-4", "LOSS"))
                        .status())
                .as("a reader is nobody's player")
                .isEqualTo(403);
        assertThat(admin.post("/api/me/matches", declaration("x-5", "LOSS")).status())
                .as("nor is an admin")
                .isEqualTo(403);
        for (String refused : new String[] {"x-1", "x-2", "x-3", "x-4", "x-5"}) {
            assertThat(admin.get("/api/matches/" + id(refused)).status())
                    .as(refused)
                    .isEqualTo(404);
        }
    }

    @Test
    void aRetriedClickCountsOnce() {
        LedgerClient player = TestAccounts.PLAYER.client(port);
        LedgerClient.Reply first = player.post("/api/me/matches", declaration("click", "LOSS"));
        LedgerClient.Reply retry = player.post("/api/me/matches", declaration("click", "LOSS"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(player.post("/api/me/matches", declaration("click", "DRAW")).status())
                .as("the same click id for another result")
                .isEqualTo(409);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> admin.get("/api/players/" + opponent)
                                .json()
                                .get("matches")
                                .asLong()
                        == 1);
        JsonNode opponentView = admin.get("/api/players/" + opponent).json();
        assertThat(opponentView.get("wins").asLong()).isEqualTo(1);
        assertThat(opponentView.get("points").asLong()).isEqualTo(3);
    }

    @Test
    void afterLogoutTheOldCookieOpensNothingAndNoPasswordDialog() {
        Browser browser = new Browser();
        browser.logIn(TestAccounts.PLAYER);
        String token = browser.pageToken("/");
        String session = browser.session();

        HttpResponse<String> logout = browser.postForm("/logout", "_csrf", token);
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location"))
                .hasValueSatisfying(to -> assertThat(to).endsWith("/login?logout"));

        LedgerClient.Reply stale =
                LedgerClient.anonymous(port).send("GET", "/api/players/" + me, null, "Cookie", "JSESSIONID=" + session);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.header("WWW-Authenticate"))
                .as("no Basic challenge for a browser")
                .isEmpty();
        LedgerClient.Reply stalePage =
                LedgerClient.anonymous(port).send("GET", "/", null, "Cookie", "JSESSIONID=" + session);
        assertThat(stalePage.status()).isEqualTo(302);
    }

    String declaration(String click, String result) {
        return "{\"matchId\":\"" + id(click) + "\",\"opponentId\":\"" + opponent + "\",\"result\":\"" + result + "\"}";
    }

    /** Match ids of this test's run: the ledger is shared with the other tests. */
    String id(String click) {
        return opponent + "-" + click;
    }

    JsonNode awaitMatch(String matchId) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> admin.get("/api/matches/" + matchId).status() == 200);
        return admin.get("/api/matches/" + matchId).json();
    }

    static JsonNode side(JsonNode match, String playerId) {
        for (JsonNode side : match.get("players")) {
            if (side.get("playerId").asText().equals(playerId)) {
                return side;
            }
        }
        throw new AssertionError(playerId + " not in " + match);
    }

    static String find(Pattern pattern, String html) {
        Matcher matcher = pattern.matcher(html);
        assertThat(matcher.find()).as(pattern + " in " + html).isTrue();
        return matcher.group(1);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(body, e);
        }
    }

    /** What a browser keeps between requests: its cookies; redirects are looked at, not followed. */
    final class Browser {

        final CookieManager cookies = new CookieManager();
        final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(uri(path)).GET());
        }

        HttpResponse<String> postForm(String path, String... fields) {
            StringBuilder form = new StringBuilder();
            for (int i = 0; i < fields.length; i += 2) {
                form.append(form.isEmpty() ? "" : "&")
                        .append(fields[i])
                        .append('=')
                        .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
            }
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
        }

        HttpResponse<String> postJson(String path, String json, String csrfToken) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (csrfToken != null) {
                request.header("X-CSRF-TOKEN", csrfToken);
            }
            return send(request);
        }

        HttpResponse<String> logIn(TestAccounts account) {
            String token = find(HIDDEN_CSRF, get("/login").body());
            return postForm("/login", "username", account.user(), "password", account.password(), "_csrf", token);
        }

        /** The CSRF token a page hands its scripts. */
        String pageToken(String page) {
            HttpResponse<String> response = get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(200);
            return find(META_CSRF, response.body());
        }

        String session() {
            return cookies.getCookieStore().getCookies().stream()
                    .filter(cookie -> cookie.getName().equals("JSESSIONID"))
                    .map(HttpCookie::getValue)
                    .findFirst()
                    .orElseThrow();
        }

        private URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
