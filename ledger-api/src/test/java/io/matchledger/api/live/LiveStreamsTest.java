package io.matchledger.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.EventStreamClient;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.TestAccounts;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * The contract's live updates over real HTTP: a first message with the view as its GET endpoint answers it, a message
 * per change and none without one, heartbeats, and clients that come and go by the thousand without leaving anything
 * behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class LiveStreamsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    LiveViews live;

    @Value("${server.tomcat.threads.max:200}")
    int requestPoolMax;

    @Autowired
    ServletWebServerApplicationContext context;

    LedgerClient admin;
    LedgerClient reader;
    String run;

    @BeforeEach
    void clients() {
        admin = new LedgerClient(port);
        reader = TestAccounts.READER.client(port);
        run = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theFirstMessageIsThePlayersViewAndEachChangeIsPushed() {
        String a = player("a");
        String b = player("b");
        try (EventStreamClient stream =
                EventStreamClient.open(port, "/api/players/" + a + "/stream", TestAccounts.READER)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(json(stream.nextData()))
                    .isEqualTo(reader.get("/api/players/" + a).json());

            assertThat(admin.win(run + "-m1", a, b).status()).isEqualTo(201);
            JsonNode afterWin = json(stream.nextData());
            assertThat(afterWin.get("points").asLong()).isEqualTo(3);
            assertThat(afterWin.get("wins").asLong()).isEqualTo(1);

            assertThat(admin.draw(run + "-m2", b, a).status()).isEqualTo(201);
            JsonNode afterDraw = json(stream.nextData());
            assertThat(afterDraw.get("points").asLong()).isEqualTo(4);
            assertThat(afterDraw).isEqualTo(reader.get("/api/players/" + a).json());
        }
    }

    @Test
    void aChangeThatLeavesTheViewAsItWasSendsNothing() {
        String watched = player("watched");
        String other = player("other");
        try (EventStreamClient stream =
                EventStreamClient.open(port, "/api/players/" + watched + "/stream", TestAccounts.READER)) {
            JsonNode first = json(stream.nextData());

            // Another player's new name moves the standings, but not this view.
            assertThat(admin.registerPlayer(other, "Renamed").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> reader.get("/api/players/" + other)
                            .json()
                            .get("name")
                            .asText()
                            .equals("Renamed"));
            live.poll(); // the rename has been seen, whether or not the scheduler saw it first

            assertThat(admin.adjust(watched, run + "-adj", 5, "live test").status())
                    .isEqualTo(201);
            // Had the rename been pushed, this would be a copy of the first message.
            JsonNode next = json(stream.nextData());
            assertThat(next.get("points").asLong())
                    .isEqualTo(first.get("points").asLong() + 5);
        }
    }

    @Test
    void theLeaderboardStreamIsTheTopNAsTheLeaderboardHasIt() {
        try (EventStreamClient stream =
                EventStreamClient.open(port, "/api/leaderboard/stream?limit=3", TestAccounts.READER)) {
            assertThat(json(stream.nextData()))
                    .isEqualTo(reader.get("/api/leaderboard?limit=3").json());

            String top = player("top");
            assertThat(admin.adjust(top, run + "-top-1", 1_000_000, "to the top")
                            .status())
                    .isEqualTo(201);
            assertThat(admin.adjust(top, run + "-top-2", 1_000_000, "to the top")
                            .status())
                    .isEqualTo(201);
            JsonNode page = json(stream.nextData());
            while (!page.at("/items/0/playerId").asText().equals(top)
                    || page.at("/items/0/points").asLong() != 2_000_000) {
                page = json(stream.nextData());
            }
            assertThat(page.get("limit").asInt()).isEqualTo(3);
            assertThat(page).isEqualTo(reader.get("/api/leaderboard?limit=3").json());
        }
    }

    @Test
    void aHeartbeatIsACommentThatDashboardsIgnore() {
        String a = player("beat");
        try (EventStreamClient stream =
                EventStreamClient.open(port, "/api/players/" + a + "/stream", TestAccounts.READER)) {
            stream.nextData();
            live.heartbeat();
            assertThat(stream.nextComment()).isEqualTo("heartbeat");
        }
    }

    @Test
    void anUnknownPlayerHasNoStream() {
        try (EventStreamClient stream =
                EventStreamClient.open(port, "/api/players/" + run + "-nobody/stream", TestAccounts.READER)) {
            assertThat(stream.status()).isEqualTo(404);
            assertThat(stream.header("Content-Type")).startsWith("application/problem+json");
            assertThat(json(stream.rest()).get("type").asText()).isEqualTo("/problems/not-found");
        }
    }

    /**
     * A thousand dashboards open a stream, get their first message and go away without a word. Each is noticed at
     * the next write to it (here: heartbeats, beaten by the test rather than waited for), its request is ended by the
     * container, and nothing stays: no subscription, and no thread. Only the container's request pool may grow, to
     * serve the burst of goodbyes, and it is bounded ({@code server.tomcat.threads.max}) and shrinks when idle.
     */
    @Test
    void aThousandClientsThatGoAwayLeaveNoSubscriptionAndNoThreadBehind() {
        String watched = player("crowd");
        comeAndGo(watched, 50); // warm up: the JIT, the database, the container
        awaitNoSubscriptions();
        long threadsBefore = threadsBesidesTheRequestPool();
        long liveThreadsBefore = liveThreads()
                .filter(thread -> thread.getName().equals("ledger-live"))
                .count();

        comeAndGo(watched, 1_000);
        awaitNoSubscriptions();

        assertThat(threadsBesidesTheRequestPool())
                .as("threads besides the request pool after 1,000 clients came and went; %d before", threadsBefore)
                .isLessThanOrEqualTo(threadsBefore + 3);
        // This context's own pool, not every "-exec-" thread: contexts cached in the same test JVM have their own.
        ThreadPoolExecutor requestPool = (ThreadPoolExecutor) ((TomcatWebServer) context.getWebServer())
                .getTomcat()
                .getConnector()
                .getProtocolHandler()
                .getExecutor();
        assertThat(requestPool.getPoolSize())
                .as("the container's request pool stays within its bound")
                .isLessThanOrEqualTo(requestPoolMax);
        assertThat(liveThreads().filter(thread -> thread.getName().equals("ledger-live")))
                .as("live views run on one thread (per application), however many clients")
                .hasSize((int) liveThreadsBefore);

        // And the next client is served as the first was.
        try (EventStreamClient stream =
                EventStreamClient.open(port, "/api/players/" + watched + "/stream", TestAccounts.READER)) {
            assertThat(json(stream.nextData()).get("playerId").asText()).isEqualTo(watched);
        }
    }

    private static long threadsBesidesTheRequestPool() {
        return liveThreads()
                .filter(thread -> !thread.getName().contains("-exec-"))
                .count();
    }

    private static Stream<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive);
    }

    private void comeAndGo(String playerId, int clients) {
        for (int i = 0; i < clients; i++) {
            try (EventStreamClient stream =
                    EventStreamClient.open(port, "/api/players/" + playerId + "/stream", TestAccounts.READER)) {
                assertThat(stream.nextData()).contains(playerId);
            }
        }
    }

    private void awaitNoSubscriptions() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    live.heartbeat();
                    return live.subscriptions() == 0;
                });
    }

    private String player(String name) {
        String playerId = "live-" + run + "-" + name;
        assertThat(admin.registerPlayer(playerId, name).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> reader.get("/api/players/" + playerId).status() == 200);
        return playerId;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
