package io.matchledger.api.webhooks;

import io.matchledger.projections.webhooks.Deliveries;
import io.matchledger.projections.webhooks.Subscriptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * The webhooks' queue for the dashboard and alerts: {@code ledger_webhook_pending} (deliveries not yet made, over
 * every subscription) and {@code ledger_webhook_paused} (subscriptions paused after failing). Read from the database
 * at each scrape; the attempts are counted where they are made ({@code ledger_webhook_deliveries_total}).
 */
@Component
class WebhookMeters implements MeterBinder {

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;

    WebhookMeters(Subscriptions subscriptions, Deliveries deliveries) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ledger.webhook.pending", () -> orNaN(deliveries::pending))
                .description("Webhook deliveries not yet made")
                .register(registry);
        Gauge.builder("ledger.webhook.paused", () -> orNaN(subscriptions::paused))
                .description("Webhook subscriptions paused after failing")
                .register(registry);
    }

    /** While the database is away a scrape still answers; the gauge has no value then. */
    private static double orNaN(java.util.function.LongSupplier count) {
        try {
            return count.getAsLong();
        } catch (RuntimeException away) {
            return Double.NaN;
        }
    }
}
