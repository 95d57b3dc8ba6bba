package io.matchledger.api.webhooks;

import io.matchledger.projections.webhooks.Deliveries;
import io.matchledger.projections.webhooks.Delivery;
import io.matchledger.projections.webhooks.Subscription;
import io.matchledger.projections.webhooks.Subscriptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends what the webhooks' processor queued (ADR 0017). Each process looks for subscriptions with a delivery due, takes
 * a subscription's lease (one sender per subscription, across processes) and delivers its queue head first, in order:
 * a 2xx marks it delivered; anything else, or no answer, is tried again after a back-off that doubles from
 * {@code initial-backoff} to {@code max-backoff} with jitter, and the queue behind it waits. After {@code pause-after}
 * failures in a row the subscription is paused. A process killed mid-delivery sends that delivery again later: at least
 * once, the event id being the receiver's key to drop the repeat.
 */
@Component
public class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookSettings settings;
    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final WebhookSecrets secrets;
    private final WebhookAttempts attempts;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    private final Counter delivered;
    private final Counter failed;
    private ScheduledExecutorService poller;
    private ExecutorService senders;
    private volatile boolean running;

    public WebhookDispatcher(
            WebhookSettings settings,
            Subscriptions subscriptions,
            Deliveries deliveries,
            WebhookSecrets secrets,
            WebhookAttempts attempts,
            MeterRegistry meters) {
        this.settings = settings;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.attempts = attempts;
        this.delivered = Counter.builder("ledger.webhook.deliveries")
                .tag("outcome", "delivered")
                .description("Webhook delivery attempts, by outcome")
                .register(meters);
        this.failed = Counter.builder("ledger.webhook.deliveries")
                .tag("outcome", "failed")
                .description("Webhook delivery attempts, by outcome")
                .register(meters);
    }

    @Override
    public void start() {
        AtomicInteger count = new AtomicInteger();
        senders = Executors.newFixedThreadPool(
                settings.senders(), runnable -> daemon(runnable, "ledger-webhook-" + count.incrementAndGet()));
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "ledger-webhook-poll"));
        running = true;
        long every = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        poller.shutdownNow();
        senders.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void poll() {
        if (!secrets.available()) {
            return;
        }
        try {
            Instant now = Instant.now();
            for (String webhookId : deliveries.due(now)) {
                if (draining.add(webhookId)) {
                    if (subscriptions.lease(webhookId, owner, now, now.plus(settings.lease()))) {
                        senders.execute(() -> drain(webhookId));
                    } else {
                        draining.remove(webhookId);
                    }
                }
            }
        } catch (RuntimeException failure) {
            // The database away, most likely: the next round tries again; nothing is lost, it is all in the queue.
            log.warn("Looking for webhook deliveries failed: {}", failure.toString());
        }
    }

    /** Delivers the subscription's due deliveries in order, until one fails or none is due. */
    private void drain(String webhookId) {
        try {
            while (running) {
                Optional<Subscription> subscription = subscriptions.find(webhookId);
                Optional<Delivery> head = deliveries.head(webhookId);
                if (subscription.isEmpty()
                        || subscription.get().status() != Subscription.Status.ACTIVE
                        || head.isEmpty()
                        || head.get().nextAttemptAt().isAfter(Instant.now())
                        || !send(subscription.get(), head.get())) {
                    return;
                }
                subscriptions.renew(webhookId, owner, Instant.now().plus(settings.lease()));
            }
        } catch (RuntimeException failure) {
            log.warn("Delivering webhook {} failed: {}", webhookId, failure.toString());
        } finally {
            try {
                subscriptions.release(webhookId, owner);
            } finally {
                draining.remove(webhookId);
            }
        }
    }

    /** One attempt; whether it was delivered. */
    private boolean send(Subscription subscription, Delivery delivery) {
        Instant at = Instant.now();
        WebhookAttempts.Outcome outcome = attempts.attempt(subscription, delivery, at);
        if (outcome.error() == null) {
            deliveries.delivered(delivery.deliveryId(), outcome.status(), Instant.now());
            subscriptions.succeeded(subscription.webhookId());
            delivered.increment();
            return true;
        }
        failed.increment();
        deliveries.failed(
                delivery.deliveryId(),
                outcome.status(),
                outcome.error(),
                at,
                at.plus(backoff(delivery.attempts() + 1)));
        if (subscriptions.failed(
                subscription.webhookId(),
                settings.pauseAfter(),
                "paused after " + settings.pauseAfter() + " failed attempts in a row; the last: " + outcome.error())) {
            log.warn(
                    "Webhook {} paused after {} failed attempts in a row; resume it with POST /api/webhooks/{}/resume",
                    subscription.webhookId(),
                    settings.pauseAfter(),
                    subscription.webhookId());
        }
        return false;
    }

    /**
     * The wait after the {@code attempts}-th failure: doubling from the initial back-off to the maximum, then a random
     * half of it taken off ("equal jitter"), so that many receivers coming back at once are not all retried at once.
     */
    Duration backoff(int attempts) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long full = Math.min(max, initial << Math.min(attempts - 1, 30));
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
