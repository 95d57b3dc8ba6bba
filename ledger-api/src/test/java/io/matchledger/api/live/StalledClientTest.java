package io.matchledger.api.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.EventStreamClient;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.TestAccounts;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * A dashboard that stops reading (a frozen tab, a stuck proxy) fills its socket's buffers, and then every write to it
 * blocks until the container gives up on it. That must hold up its own stream only: the others keep getting their
 * pushes. The server's send buffers are made small here so that a few messages fill them, as megabytes would in
 * production.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(StalledClientTest.SmallSendBuffers.class)
class StalledClientTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestConfiguration
    static class SmallSendBuffers {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffers() {
            return factory ->
                    factory.addConnectorCustomizers(connector -> connector.setProperty("socket.txBufSize", "4096"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    LiveViews live;

    @Test
    void aClientThatStopsReadingHoldsUpNoOtherStream() throws Exception {
        LedgerClient admin = new LedgerClient(port);
        LedgerClient reader = TestAccounts.READER.client(port);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> players = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String player = "stall-" + run + "-" + i;
            // Long names: a leaderboard page of these is several kilobytes, more than the buffers hold.
            assertThat(admin.registerPlayer(
                                    player, ("Player " + i + " ").repeat(8).trim())
                            .status())
                    .isEqualTo(201);
            players.add(player);
        }
        String watched = players.get(0);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> reader.get("/api/players/" + watched).status() == 200);

        try (Socket stalled = openWithoutReading("/api/leaderboard/stream?limit=1000");
                EventStreamClient healthy =
                        EventStreamClient.open(port, "/api/players/" + watched + "/stream", TestAccounts.READER)) {
            JsonNode first = JSON.readTree(healthy.nextData());
            assertThat(first.get("points").asLong()).isZero();
            long rank = first.get("rank").asLong();
            // Each match moves the leaderboard: its pushes pile up in the stalled client's buffers until a write
            // to it blocks.
            for (int i = 1; i < 13; i++) {
                assertThat(admin.win(run + "-fill-" + i, players.get(i), players.get(i + 1))
                                .status())
                        .isEqualTo(201);
                // Each winner passes the watched player (0 points), so its rank moves with every match: once the
                // healthy stream has it, the poll that pushed this match to both streams is done, and the next
                // match is a push of its own.
                long before = rank;
                while (rank == before) {
                    rank = JSON.readTree(healthy.nextData()).get("rank").asLong();
                }
            }

            assertThat(admin.win(run + "-watched", watched, players.get(20)).status())
                    .isEqualTo(201);

            // Rank changes of the watched player come first; the win must come through (within the client's 30 s
            // read timeout, where a blocked push thread would send nothing at all).
            long points = 0;
            while (points != 3) {
                points = JSON.readTree(healthy.nextData()).get("points").asLong();
            }
            // Both streams are still held: the push came through beside a stream the server is stuck writing to, not
            // after the server had given up on it.
            assertThat(live.subscriptions()).as("streams held").isEqualTo(2);
        }
    }

    /** A stream request whose answer is never read, on a socket with a small receive buffer. */
    private Socket openWithoutReading(String path) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        TestAccounts account = TestAccounts.READER;
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Authorization: Basic "
                + Base64.getEncoder()
                        .encodeToString((account.user() + ":" + account.password()).getBytes(StandardCharsets.UTF_8))
                + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
