package io.matchledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.TestAccounts;
import io.matchledger.core.api.PointsAdjusted;
import java.time.Duration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verification finds each kind of damage an auditor cares about: a read model total that is not the sum of the
 * events, a player the read model lost, and an event whose {@code totalAfter} is not its ledger's running sum. The
 * damage is done by hand, so this test has a context of its own that is thrown away afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext
class AuditVerificationTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EventStore eventStore;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aCleanLedgerVerifiesAndEachKindOfDamageIsReported() {
        LedgerClient admin = new LedgerClient(port);
        LedgerClient auditor = TestAccounts.AUDITOR.client(port);
        // A rolled-back write leaves a hole in the event table's numbering that never fills; events after it are
        // processed all the same, and verification must still count them as processed.
        jdbc.queryForObject("select next value for domain_event_entry_seq", Long.class);
        for (String player : new String[] {"vf-a", "vf-b", "vf-c"}) {
            assertThat(admin.registerPlayer(player, player.toUpperCase()).status())
                    .isIn(200, 201);
        }
        assertThat(admin.adjust("vf-c", "vf-c-opening", 5, "opening balance").status())
                .isEqualTo(201);
        assertThat(admin.win("vf-1", "vf-a", "vf-b").status()).isEqualTo(201);
        assertThat(admin.draw("vf-2", "vf-b", "vf-a").status()).isEqualTo(201);
        assertThat(admin.win("vf-3", "vf-a", "vf-c").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(admin.pointsOf("vf-a")).isEqualTo(7);
            assertThat(admin.pointsOf("vf-b")).isEqualTo(1);
            assertThat(admin.pointsOf("vf-c")).isEqualTo(5);
        });

        JsonNode clean = auditor.get("/api/audit/verify").json();
        assertThat(clean.get("mismatches")).isEmpty();
        assertThat(clean.get("mismatchCount").asLong()).isZero();
        assertThat(clean.get("totalAfterBreaks")).isEmpty();
        assertThat(clean.get("playersChecked").asLong()).isEqualTo(standingRows());
        assertThat(clean.get("eventsRead").asLong()).isEqualTo(eventCount());
        assertThat(clean.get("eventsThrough").asLong()).isEqualTo(head());

        // The read model shows 5 points more than vf-a's events add up to.
        jdbc.update("update player_standing set points = points + 5 where player_id = 'vf-a'");
        // The read model lost vf-b, whose events the standings processor had long processed.
        jdbc.update("delete from player_standing where player_id = 'vf-b'");
        // An event claims a total its ledger never had: 5 + 0 (the loss) + 2 is 7, not 99.
        transaction.executeWithoutResult(status -> eventStore.publish(new GenericDomainEventMessage<>(
                "Player", "vf-c", 3, new PointsAdjusted("vf-c", "vf-c-broken", 2, "broken on purpose", 99))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(admin.pointsOf("vf-c")).isEqualTo(7));

        JsonNode damaged = auditor.get("/api/audit/verify").json();

        assertThat(damaged.get("mismatches").toString())
                .isEqualTo("[{\"playerId\":\"vf-a\",\"projected\":12,\"fromEvents\":7},"
                        + "{\"playerId\":\"vf-b\",\"projected\":null,\"fromEvents\":1}]");
        assertThat(damaged.get("mismatchCount").asLong()).isEqualTo(2);
        assertThat(damaged.get("totalAfterBreaks").toString())
                .isEqualTo("[{\"playerId\":\"vf-c\",\"sequence\":3,\"token\":" + head()
                        + ",\"totalAfter\":99,\"runningTotal\":7}]");
        assertThat(damaged.get("totalAfterBreakCount").asLong()).isEqualTo(1);
        assertThat(damaged.get("playersChecked").asLong()).isEqualTo(standingRows() + 1);
    }

    long standingRows() {
        return jdbc.queryForObject("select count(*) from player_standing", Long.class);
    }

    long eventCount() {
        return jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
    }

    long head() {
        return jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
    }
}
