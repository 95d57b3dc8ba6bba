package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.api.LedgerClient.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/** Bodies above 64 KiB are refused with 413 before anything parses them, whether their size is declared or not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class BodySizeLimitTest {

    static final int LIMIT = 65_536;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    /** A valid registration, padded with insignificant whitespace to exactly {@code size} bytes. */
    static String registration(int size) {
        String json = "{\"name\":\"Big\"}";
        return json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}";
    }

    @Test
    void aBodyOneByteOverTheLimitIsRefusedAndChangesNothing() {
        LedgerClient admin = new LedgerClient(port);
        long eventsBefore = eventCount();

        Reply declared = admin.send("PUT", "/api/players/big-1", registration(LIMIT + 1));
        Reply chunked = admin.sendChunked(
                "PUT", "/api/players/big-2", registration(LIMIT + 1).getBytes(StandardCharsets.UTF_8));
        Reply huge = admin.sendChunked("POST", "/api/matches", new byte[4 * LIMIT]);
        Reply anonymous = LedgerClient.anonymous(port).send("PUT", "/api/players/big-3", registration(LIMIT + 1));

        for (Reply reply : new Reply[] {declared, chunked, huge, anonymous}) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(413);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().get("type").asText()).isEqualTo("/problems/payload-too-large");
            assertThat(reply.json().get("status").asInt()).isEqualTo(413);
            assertThat(reply.json().get("detail").asText()).contains("65536 bytes");
        }
        assertThat(eventCount()).isEqualTo(eventsBefore);
        assertThat(admin.get("/api/players/big-1").status()).isEqualTo(404);
    }

    @Test
    void aBodyAtTheLimitIsAcceptedWhetherItsSizeIsDeclaredOrNot() {
        LedgerClient admin = new LedgerClient(port);

        assertThat(admin.send("PUT", "/api/players/big-4", registration(LIMIT)).status())
                .isEqualTo(201);
        assertThat(admin.sendChunked(
                                "PUT", "/api/players/big-5", registration(LIMIT).getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(201);
    }

    long eventCount() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }
}
