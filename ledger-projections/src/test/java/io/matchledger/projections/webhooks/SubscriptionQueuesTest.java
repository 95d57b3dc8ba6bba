package io.matchledger.projections.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.projections.MigratedH2;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhooks' tables on a migrated H2, without Spring: a subscription's life (created, changed, paused after
 * failures in a row, resumed), its queue of deliveries drained in order, and the lease that lets one sender of one
 * process at a time deliver it, taken over once a crashed holder's lease runs out.
 */
class SubscriptionQueuesTest {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    static MigratedH2 db;
    static ExecutorService processes;

    Subscriptions subscriptions;
    Deliveries deliveries;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
        processes = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        processes.shutdownNow();
    }

    @BeforeEach
    void empty() {
        db.jdbc.update("delete from webhook_delivery");
        db.jdbc.update("delete from webhook_subscription");
        subscriptions = new Subscriptions(db.dataSource);
        deliveries = new Deliveries(db.dataSource);
    }

    private Subscription subscribe(String id, Set<WebhookEvent> events, Integer topN) {
        Subscription subscription = new Subscription(
                id,
                "https://game.example/" + id,
                events,
                topN,
                "cipher-" + id,
                Subscription.Status.ACTIVE,
                0,
                null,
                17,
                T0,
                T0.plusSeconds(1));
        subscriptions.create(subscription);
        return subscription;
    }

    @Test
    void aSubscriptionReadsBackAsCreatedAndChangesWithoutLosingItsQueue() {
        Subscription created =
                subscribe("w-1", EnumSet.of(WebhookEvent.MATCH_VOIDED, WebhookEvent.LEADERBOARD_ENTERED), 10);
        subscribe("w-0", EnumSet.of(WebhookEvent.SEASON_SEALED), null);
        deliveries.queue(List.of(queued("w-1", "e-1")));

        assertThat(subscriptions.find("w-1")).contains(created);
        assertThat(subscriptions.find("w-9")).isEmpty();
        assertThat(subscriptions.all()).extracting(Subscription::webhookId).containsExactly("w-0", "w-1");
        assertThat(db.jdbc.queryForObject(
                        "select event_types from webhook_subscription where webhook_id = 'w-1'", String.class))
                .isEqualTo("leaderboard.entered,match.voided");

        subscriptions.change("w-1", "https://other.example/", EnumSet.of(WebhookEvent.LEADERBOARD_LEFT), 5, "new");

        Subscription changed = subscriptions.find("w-1").orElseThrow();
        assertThat(changed.url()).isEqualTo("https://other.example/");
        assertThat(changed.events()).containsExactly(WebhookEvent.LEADERBOARD_LEFT);
        assertThat(changed.topN()).isEqualTo(5);
        assertThat(changed.secretCipher()).isEqualTo("new");
        assertThat(changed.createdAt()).isEqualTo(T0);
        assertThat(changed.updatedAt()).isAfter(created.updatedAt());
        assertThat(deliveries.pending("w-1")).isEqualTo(1);
    }

    @Test
    void storedEventTypesThatNoLongerExistAreLeftOut() {
        assertThat(Subscriptions.types("match.voided,retired.type,season.sealed"))
                .containsExactlyInAnyOrder(WebhookEvent.MATCH_VOIDED, WebhookEvent.SEASON_SEALED);
        assertThat(Subscriptions.types(EnumSet.allOf(WebhookEvent.class)))
                .isEqualTo("leaderboard.entered,leaderboard.left,match.voided,season.leaderboard.entered,"
                        + "season.leaderboard.left,season.sealed");
    }

    @Test
    void failuresInARowPauseTheSubscriptionOnceAndASuccessForgetsThem() {
        subscribe("w-1", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);

        assertThat(subscriptions.failed("w-1", 3, "HTTP 500")).isFalse();
        assertThat(subscriptions.failed("w-1", 3, "HTTP 500")).isFalse();
        subscriptions.succeeded("w-1");
        assertThat(subscriptions.find("w-1").orElseThrow().failures()).isZero();
        assertThat(subscriptions.failed("w-1", 3, "HTTP 500")).isFalse();
        assertThat(subscriptions.failed("w-1", 3, "HTTP 502")).isFalse();
        assertThat(subscriptions.failed("w-1", 3, "HTTP 503")).isTrue();
        assertThat(subscriptions.failed("w-1", 3, "HTTP 504")).isFalse();

        Subscription paused = subscriptions.find("w-1").orElseThrow();
        assertThat(paused.status()).isEqualTo(Subscription.Status.PAUSED);
        assertThat(paused.pausedReason()).isEqualTo("HTTP 503");
        assertThat(paused.failures()).isEqualTo(4);
        assertThat(subscriptions.paused()).isEqualTo(1);
    }

    @Test
    void aResumedSubscriptionIsActiveAgainAndItsWaitingDeliveriesAreDueAtOnce() {
        subscribe("w-1", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);
        deliveries.queue(List.of(queued("w-1", "e-1")));
        long id = deliveries.head("w-1").orElseThrow().deliveryId();
        deliveries.failed(id, 500, "boom", T0, T0.plus(1, ChronoUnit.DAYS));
        subscriptions.failed("w-1", 1, "HTTP 500");
        assertThat(deliveries.due(T0.plusSeconds(60))).isEmpty();
        assertThat(subscriptions.lease("w-1", "sender", T0, T0.plusSeconds(30))).isFalse();

        assertThat(subscriptions.resume("w-1")).isTrue();
        assertThat(subscriptions.resume("w-9")).isFalse();

        Subscription resumed = subscriptions.find("w-1").orElseThrow();
        assertThat(resumed.status()).isEqualTo(Subscription.Status.ACTIVE);
        assertThat(resumed.failures()).isZero();
        assertThat(resumed.pausedReason()).isNull();
        assertThat(subscriptions.paused()).isZero();
        assertThat(deliveries.due(Instant.now().plusSeconds(1))).containsExactly("w-1");
    }

    @Test
    void aQueueIsDeliveredInOrderAndKeepsEachAttempt() {
        subscribe("w-1", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);
        subscribe("w-2", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);
        deliveries.queue(List.of(queued("w-1", "e-1"), queued("w-1", "e-2"), queued("w-2", "e-1")));
        deliveries.queue(List.of());

        Delivery first = deliveries.head("w-1").orElseThrow();
        assertThat(first.eventId()).isEqualTo("e-1");
        assertThat(first.state()).isEqualTo(Delivery.State.PENDING);
        assertThat(first.payload()).isEqualTo("{\"event\":\"e-1\"}");
        assertThat(first.createdAt()).isEqualTo(T0);
        assertThat(deliveries.pending()).isEqualTo(3);

        String longError = "x".repeat(600);
        deliveries.failed(first.deliveryId(), null, longError, T0.plusSeconds(5), T0.plusSeconds(65));
        Delivery retried = deliveries.head("w-1").orElseThrow();
        assertThat(retried.deliveryId()).isEqualTo(first.deliveryId());
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.lastStatus()).isNull();
        assertThat(retried.lastError()).hasSize(500);
        assertThat(retried.lastAttemptAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(retried.nextAttemptAt()).isEqualTo(T0.plusSeconds(65));

        deliveries.delivered(first.deliveryId(), 204, T0.plusSeconds(70));
        assertThat(deliveries.head("w-1").orElseThrow().eventId()).isEqualTo("e-2");
        assertThat(deliveries.pending("w-1")).isEqualTo(1);
        assertThat(deliveries.pending()).isEqualTo(2);

        List<Delivery> newestFirst = deliveries.page("w-1", null, 10);
        assertThat(newestFirst).extracting(Delivery::eventId).containsExactly("e-2", "e-1");
        Delivery done = newestFirst.get(1);
        assertThat(done.state()).isEqualTo(Delivery.State.DELIVERED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.lastStatus()).isEqualTo(204);
        assertThat(done.lastError()).isNull();
        assertThat(done.deliveredAt()).isEqualTo(T0.plusSeconds(70));
        assertThat(deliveries.page("w-1", newestFirst.get(0).deliveryId(), 10))
                .extracting(Delivery::eventId)
                .containsExactly("e-1");
        assertThat(deliveries.page("w-1", null, 1))
                .extracting(Delivery::eventId)
                .containsExactly("e-2");

        assertThat(subscriptions.delete("w-1")).isTrue();
        assertThat(subscriptions.delete("w-1")).isFalse();
        assertThat(deliveries.page("w-1", null, 10)).isEmpty();
        assertThat(deliveries.pending()).isEqualTo(1);
    }

    @Test
    void onlyActiveSubscriptionsWithADeliveryDueAreDue() {
        subscribe("w-1", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);
        subscribe("w-2", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);
        subscribe("w-3", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);
        deliveries.queue(List.of(queued("w-1", "e-1"), queued("w-2", "e-1"), queued("w-2", "e-2")));
        Instant later = Instant.now().plusSeconds(1);
        deliveries.failed(deliveries.head("w-1").orElseThrow().deliveryId(), 500, "boom", later, later.plusSeconds(60));

        assertThat(deliveries.due(later)).containsExactly("w-2");
        assertThat(deliveries.due(later.plusSeconds(60))).containsExactlyInAnyOrder("w-1", "w-2");
        subscriptions.failed("w-2", 1, "HTTP 500");
        assertThat(deliveries.due(later.plusSeconds(60))).containsExactly("w-1");
    }

    @Test
    void oneSenderAtATimeHoldsASubscriptionUntilItsLeaseRunsOut() {
        subscribe("w-1", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);

        assertThat(subscriptions.lease("w-1", "a", T0, T0.plusSeconds(30))).isTrue();
        assertThat(subscriptions.lease("w-1", "b", T0.plusSeconds(10), T0.plusSeconds(40)))
                .isFalse();
        assertThat(subscriptions.lease("w-1", "a", T0.plusSeconds(10), T0.plusSeconds(40)))
                .isFalse();
        // Renewed by its owner only: b's renewal changes nothing, a's holds it past the first expiry.
        subscriptions.renew("w-1", "b", T0.plusSeconds(90));
        assertThat(subscriptions.lease("w-1", "b", T0.plusSeconds(31), T0.plusSeconds(60)))
                .isTrue();
        subscriptions.renew("w-1", "b", T0.plusSeconds(120));
        assertThat(subscriptions.lease("w-1", "a", T0.plusSeconds(100), T0.plusSeconds(130)))
                .isFalse();
        // Released by its owner only.
        subscriptions.release("w-1", "a");
        assertThat(subscriptions.lease("w-1", "a", T0.plusSeconds(100), T0.plusSeconds(130)))
                .isFalse();
        subscriptions.release("w-1", "b");
        assertThat(subscriptions.lease("w-1", "a", T0.plusSeconds(100), T0.plusSeconds(130)))
                .isTrue();
        assertThat(subscriptions.lease("w-9", "a", T0, T0.plusSeconds(30))).isFalse();
    }

    /**
     * Two processes ask for the same subscription at the same moment, round after round: exactly one gets it each
     * time. The next round comes after the lease ran out, as after a holder that crashed without releasing it.
     */
    @Test
    void twoProcessesAskingAtOnceNeverBothHoldTheLease() throws Exception {
        subscribe("w-1", EnumSet.of(WebhookEvent.MATCH_VOIDED), null);
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<List<Boolean>>> asked = new ArrayList<>();
        for (String process : List.of("p1", "p2")) {
            Callable<List<Boolean>> rounds = () -> {
                List<Boolean> won = new ArrayList<>();
                for (int round = 0; round < 20; round++) {
                    Instant now = T0.plusSeconds(60L * round);
                    together.await(30, TimeUnit.SECONDS);
                    won.add(subscriptions.lease("w-1", process, now, now.plusSeconds(30)));
                }
                return won;
            };
            asked.add(processes.submit(rounds));
        }
        List<Boolean> first = asked.get(0).get(60, TimeUnit.SECONDS);
        List<Boolean> second = asked.get(1).get(60, TimeUnit.SECONDS);

        for (int round = 0; round < 20; round++) {
            assertThat(first.get(round) ^ second.get(round))
                    .as("round " + round)
                    .isTrue();
        }
    }

    private static Deliveries.Queued queued(String webhookId, String eventId) {
        return new Deliveries.Queued(webhookId, eventId, "match.voided", "{\"event\":\"" + eventId + "\"}", T0);
    }
}
