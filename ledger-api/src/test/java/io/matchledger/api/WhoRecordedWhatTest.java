package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.api.LedgerClient.Reply;
import io.matchledger.core.Match;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/** Every event says which account appended it and in which request, so an auditor can trace who recorded what. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class WhoRecordedWhatTest {

    @LocalServerPort
    int port;

    @Autowired
    EventStore eventStore;

    @Test
    void eventsCarryThePrincipalAndTheRequestIdOfTheRequestThatAppendedThem() {
        LedgerClient recorder = TestAccounts.RECORDER.client(port);
        LedgerClient admin = TestAccounts.ADMIN.client(port);

        Reply registered =
                recorder.send("PUT", "/api/players/who-a", "{\"name\":\"Who A\"}", "X-Request-Id", "reg-who-a");
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.header("X-Request-Id")).contains("reg-who-a");
        assertThat(recorder.registerPlayer("who-b", "Who B").status()).isEqualTo(201);
        Reply adjusted = admin.send(
                "POST",
                "/api/players/who-a/adjustments",
                "{\"adjustmentId\":\"who-adj\",\"points\":4,\"reason\":\"opening balance\"}",
                "X-Request-Id",
                "adj-who-a");
        assertThat(adjusted.status()).isEqualTo(201);
        Reply recorded = recorder.send(
                "POST",
                "/api/matches",
                "{\"matchId\":\"who-m1\",\"winner\":\"who-a\",\"loser\":\"who-b\"}",
                "X-Request-Id",
                "rec-who-m1");
        assertThat(recorded.status()).isEqualTo(201);

        assertRecordedBy(event("who-a", PlayerRegistered.class::isInstance), "recorder", "reg-who-a");
        assertRecordedBy(event("who-a", PointsAdjusted.class::isInstance), "admin", "adj-who-a");
        assertRecordedBy(event("who-a", MatchRecorded.class::isInstance), "recorder", "rec-who-m1");
        assertRecordedBy(event("who-b", MatchRecorded.class::isInstance), "recorder", "rec-who-m1");
        assertRecordedBy(event(Match.streamId("who-m1"), e -> true), "recorder", "rec-who-m1");
    }

    @Test
    void aRequestWithoutASaneRequestIdGetsOneAndIsToldWhichOne() {
        LedgerClient recorder = TestAccounts.RECORDER.client(port);

        Reply none = recorder.registerPlayer("who-c", "Who C");
        assertThat(none.status()).isEqualTo(201);
        String generated = none.header("X-Request-Id").orElseThrow();
        assertThat(generated).matches("[0-9a-f-]{36}");
        assertRecordedBy(event("who-c", PlayerRegistered.class::isInstance), "recorder", generated);

        // Anything but a short plain token is replaced, never stored: it would end up in events and log lines.
        Reply forged = recorder.send(
                "PUT", "/api/players/who-d", "{\"name\":\"Who D\"}", "X-Request-Id", "x y " + "z".repeat(200));
        assertThat(forged.status()).isEqualTo(201);
        String replaced = forged.header("X-Request-Id").orElseThrow();
        assertThat(replaced).matches("[0-9a-f-]{36}");
        assertRecordedBy(event("who-d", PlayerRegistered.class::isInstance), "recorder", replaced);
    }

    /**
     * Identical first attempts race: the losers of the append are retried by the command gateway on its own thread,
     * which knows no request. The events still name the request that recorded them.
     */
    @Test
    void racingRetriesStillNameTheRequestThatRecordedTheMatch() throws Exception {
        LedgerClient admin = TestAccounts.ADMIN.client(port);
        assertThat(admin.registerPlayer("who-e", "Who E").status()).isEqualTo(201);
        assertThat(admin.registerPlayer("who-f", "Who F").status()).isEqualTo(201);

        ExecutorService threads = Executors.newFixedThreadPool(6);
        List<Future<Reply>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String requestId = "race-" + i;
            attempts.add(threads.submit(() -> TestAccounts.RECORDER
                    .client(port)
                    .send(
                            "POST",
                            "/api/matches",
                            "{\"matchId\":\"who-race\",\"draw\":[\"who-e\",\"who-f\"]}",
                            "X-Request-Id",
                            requestId)));
        }
        List<Reply> replies = new ArrayList<>();
        for (Future<Reply> attempt : attempts) {
            replies.add(attempt.get());
        }
        threads.shutdown();

        List<Reply> created =
                replies.stream().filter(reply -> reply.status() == 201).toList();
        assertThat(created).as("%s", replies).hasSize(1);
        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isIn(200, 201));
        String winner = created.get(0).header("X-Request-Id").orElseThrow();
        assertRecordedBy(event("who-e", MatchRecorded.class::isInstance), "recorder", winner);
        assertRecordedBy(event("who-f", MatchRecorded.class::isInstance), "recorder", winner);
        assertRecordedBy(event(Match.streamId("who-race"), e -> true), "recorder", winner);
    }

    DomainEventMessage<?> event(String streamId, Predicate<Object> payload) {
        List<? extends DomainEventMessage<?>> events = eventStore
                .readEvents(streamId)
                .asStream()
                .filter(e -> payload.test(e.getPayload()))
                .toList();
        assertThat(events).as("events of %s", streamId).hasSize(1);
        return events.get(0);
    }

    static void assertRecordedBy(DomainEventMessage<?> event, String principal, String requestId) {
        assertThat(event.getMetaData())
                .as("%s", event.getPayload())
                .containsEntry("principal", principal)
                .containsEntry("requestId", requestId)
                .containsKey("traceId");
    }
}
