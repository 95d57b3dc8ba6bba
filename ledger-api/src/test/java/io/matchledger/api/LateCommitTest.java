package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.matchledger.api.audit.AuditReport;
import io.matchledger.api.audit.LedgerVerification;
import io.matchledger.core.api.MatchAnswer;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * A write that commits late reaches every read model (ADR 0014). A group holding one match is held after its rows took
 * their global indexes and before its transaction commits, while the ledger goes on well past the gap window of
 * Axon's JPA engine (more than 10,000 positions, and longer than any gap timeout this service ever set), so every
 * processor's token moves far past the held positions. When the group commits, every read model shows the match,
 * exactly once, and the verification finds nothing wrong. Axon's own engine drops such gaps and never delivers the
 * match (AxonFramework #4829): the test fails on it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext
class LateCommitTest {

    static final String LATE_MATCH = "late-commit-1";
    /** Past Axon's default gap offset: each match below is three events. */
    static final int OTHER_MATCHES = 3_600;
    /** Past the ten seconds this service's processors once waited for a gap. */
    static final Duration HELD_AT_LEAST = Duration.ofSeconds(12);

    @Autowired
    CommandBus commandBus;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LedgerVerification verification;

    Registration holding;
    final CountDownLatch commit = new CountDownLatch(1);

    @AfterEach
    void letGo() {
        commit.countDown();
        if (holding != null) {
            holding.cancel();
        }
    }

    @Test
    void aMatchCommittedLongAfterItsPositionReachesEveryReadModelOnce() throws Exception {
        for (String player : List.of("late-a", "late-b", "busy-a", "busy-b", "busy-c", "busy-d")) {
            commands.sendAndWait(new RegisterPlayerCommand(player, player));
        }
        CountDownLatch appended = new CountDownLatch(1);
        holding = ((SimpleCommandBus) commandBus).registerHandlerInterceptor(holdAfterAppend(appended, commit));

        long started = System.nanoTime();
        // Sent to the bus itself: a client of the service would be answered 503 after the group commit's timeout.
        CompletableFuture<List<MatchAnswer>> late =
                commands.send(new RecordMatchesCommand(List.of(new RecordMatchesCommand.Entry(
                        new RecordMatchCommand(LATE_MATCH, "late-a", "late-b", Outcome.WIN, null), Map.of()))));
        assertThat(appended.await(30, TimeUnit.SECONDS))
                .as("the late group appended")
                .isTrue();
        long heldBelow = head();

        List<String> busy = List.of("busy-a", "busy-b", "busy-c", "busy-d");
        for (int group = 0; group < OTHER_MATCHES / 50; group++) {
            List<RecordMatchesCommand.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = group * 50 + i;
                entries.add(new RecordMatchesCommand.Entry(
                        new RecordMatchCommand("busy-" + n, busy.get(n % 4), busy.get((n + 1) % 4), Outcome.WIN, null),
                        Map.of()));
            }
            commands.sendAndWait(new RecordMatchesCommand(entries));
        }
        long movedTo = head();
        assertThat(movedTo - heldBelow).isGreaterThan(10_000);
        // Every processor has passed the held positions by far before the group commits.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> standing("busy-a") != null && lastSequence("busy-a") == lastSequenceInStore("busy-a"));
        long heldFor = System.nanoTime() - started;
        if (heldFor < HELD_AT_LEAST.toNanos()) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(HELD_AT_LEAST.toNanos() - heldFor));
        }
        assertThat(standing("late-a")).isEqualTo(0L);

        commit.countDown();
        assertThat(late.get(30, TimeUnit.SECONDS).get(0).orThrow().matchId()).isEqualTo(LATE_MATCH);
        Long lateIndex = jdbc.queryForObject(
                "select max(global_index) from domain_event_entry where aggregate_identifier = 'late-a'", Long.class);
        assertThat(lateIndex).isLessThan(movedTo - 10_000);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(standing("late-a")).isEqualTo(3L);
            assertThat(standing("late-b")).isEqualTo(0L);
            assertThat(jdbc.queryForObject(
                            "select count(*) from ledger_entry where match_id = ?", Integer.class, LATE_MATCH))
                    .isEqualTo(2);
            assertThat(jdbc.queryForObject(
                            "select count(*) from match_record where match_id = ?", Integer.class, LATE_MATCH))
                    .isEqualTo(1);
        });
        AuditReport report = verification.verify();
        assertThat(report.mismatches()).isEmpty();
        assertThat(report.totalAfterBreaks()).isEmpty();
        assertThat(jdbc.queryForObject("select matches from player_standing where player_id = 'late-a'", Long.class))
                .isEqualTo(1L);
    }

    /** Holds the unit of work of the group that records {@link #LATE_MATCH} after its append, until released. */
    static MessageHandlerInterceptor<CommandMessage<?>> holdAfterAppend(
            CountDownLatch appended, CountDownLatch commit) {
        return (unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (unitOfWork.getMessage().getPayload() instanceof RecordMatchesCommand group
                    && group.matches().stream()
                            .anyMatch(entry -> LATE_MATCH.equals(entry.match().matchId()))) {
                // Registered after the event bus's own: runs once the rows are in, before the transaction commits.
                unitOfWork.onPrepareCommit(u -> {
                    appended.countDown();
                    try {
                        commit.await(10, TimeUnit.MINUTES);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            return result;
        };
    }

    long head() {
        return jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
    }

    Long standing(String player) {
        List<Long> points =
                jdbc.queryForList("select points from player_standing where player_id = ?", Long.class, player);
        return points.isEmpty() ? null : points.get(0);
    }

    long lastSequence(String player) {
        return jdbc.queryForObject("select last_sequence from player_standing where player_id = ?", Long.class, player);
    }

    long lastSequenceInStore(String player) {
        return jdbc.queryForObject(
                "select max(sequence_number) from domain_event_entry where aggregate_identifier = ?",
                Long.class,
                player);
    }
}
