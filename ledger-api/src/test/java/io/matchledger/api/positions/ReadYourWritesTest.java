package io.matchledger.api.positions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.EventStreamClient;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.api.TestAccounts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 13's "a write is not visible to the next read": every write answers with its {@code Ledger-Position}, and
 * a read with {@code minPosition} set to it shows the write, on the very next request, every time.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.read-your-writes.max-wait=500ms")
@ActiveProfiles("test")
class ReadYourWritesTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theNextReadWithTheWritesPositionShowsTheWrite() {
        LedgerClient client = new LedgerClient(port);
        long previous = 0;
        for (int i = 0; i < 25; i++) {
            String ann = "ryw-ann-" + i;
            String bob = "ryw-bob-" + i;
            Reply registered = client.registerPlayer(ann, "Ann");
            assertThat(registered.status()).isEqualTo(201);
            long position = position(registered);
            assertThat(position).isGreaterThan(previous);
            assertThat(client.get("/api/players/" + ann + "?minPosition=" + position)
                            .status())
                    .isEqualTo(200);

            client.registerPlayer(bob, "Bob");
            Reply match = client.win("ryw-match-" + i, ann, bob);
            assertThat(match.status()).isEqualTo(201);
            long matchPosition = position(match);
            assertThat(client.get("/api/players/" + ann + "?minPosition=" + matchPosition)
                            .json()
                            .get("points")
                            .asLong())
                    .isEqualTo(3);
            assertThat(client.get("/api/matches/ryw-match-" + i + "?minPosition=" + matchPosition)
                            .status())
                    .isEqualTo(200);
            assertThat(client.get("/api/players/" + bob + "/matches?minPosition=" + matchPosition)
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(1);
            assertThat(client.get("/api/leaderboard/around/" + ann + "?minPosition=" + matchPosition)
                            .status())
                    .isEqualTo(200);
            previous = matchPosition;
        }
    }

    @Test
    void thePositionIsTheWritesOwnEventEvenAmongConcurrentWriters() throws Exception {
        LedgerClient client = new LedgerClient(port);
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<long[]>> registrations = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                String player = "ryw-many-" + i;
                registrations.add(writers.submit(() -> new long[] {
                    position(client.registerPlayer(player, "Many")),
                    jdbc.queryForObject(
                            "select global_index from domain_event_entry where aggregate_identifier = ?",
                            Long.class,
                            player)
                }));
            }
            for (Future<long[]> registration : registrations) {
                long[] positionAndIndex = registration.get(30, TimeUnit.SECONDS);
                assertThat(positionAndIndex[0]).isEqualTo(positionAndIndex[1]);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void anIdenticalRetryAnswersAPositionAtOrPastTheOriginalsAndTheBatchOneForAll() {
        LedgerClient client = new LedgerClient(port);
        client.registerPlayer("ryw-cy", "Cy");
        client.registerPlayer("ryw-di", "Di");
        Reply first = client.draw("ryw-draw", "ryw-cy", "ryw-di");
        Reply retry = client.draw("ryw-draw", "ryw-cy", "ryw-di");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(position(retry)).isGreaterThanOrEqualTo(position(first));

        Reply batch = client.post(
                "/api/matches/batch",
                "{\"matches\":["
                        + "{\"matchId\":\"ryw-b1\",\"winner\":\"ryw-cy\",\"loser\":\"ryw-di\"},"
                        + "{\"matchId\":\"ryw-b2\",\"winner\":\"ryw-cy\",\"loser\":\"ryw-di\"}]}");
        assertThat(batch.status()).isEqualTo(200);
        long position = position(batch);
        for (JsonNode result : batch.json().get("results")) {
            assertThat(result.get("body").get("position").asLong()).isEqualTo(position);
        }
        assertThat(client.get("/api/players/ryw-cy?minPosition=" + position)
                        .json()
                        .get("points")
                        .asLong())
                .isEqualTo(7);
    }

    @Test
    void aPositionTheLedgerHasNotReachedIsA503NeverAStaleAnswer() {
        LedgerClient client = new LedgerClient(port);
        Reply registered = client.registerPlayer("ryw-eve", "Eve");
        Reply late = client.get("/api/players/ryw-eve?minPosition=" + (position(registered) + 1_000_000));
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.header("Retry-After")).hasValue("1");
        assertThat(late.json().get("type").asText()).isEqualTo("/problems/not-yet-visible");
    }

    @Test
    void aPositionThatIsNotANumberIsA400NamingTheParameter() {
        Reply reply = new LedgerClient(port).get("/api/leaderboard?minPosition=soon");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").get(0).get("field").asText()).isEqualTo("minPosition");
    }

    @Test
    void aStreamOpenedRightAfterTheRegistrationStarts() {
        LedgerClient client = new LedgerClient(port);
        for (int i = 0; i < 10; i++) {
            String player = "ryw-live-" + i;
            assertThat(client.registerPlayer(player, "Live").status()).isEqualTo(201);
            try (EventStreamClient stream =
                    EventStreamClient.open(port, "/api/players/" + player + "/stream", TestAccounts.ADMIN)) {
                assertThat(stream.status()).isEqualTo(200);
                assertThat(stream.firstMessage().json().get("playerId").asText())
                        .isEqualTo(player);
            }
        }
    }

    /** The header and the body say the same. */
    private static long position(Reply write) {
        long header = Long.parseLong(write.header(PositionHeader.HEADER).orElseThrow());
        assertThat(write.json().get("position").asLong()).isEqualTo(header);
        return header;
    }
}
