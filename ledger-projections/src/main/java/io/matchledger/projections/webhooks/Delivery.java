package io.matchledger.projections.webhooks;

import java.time.Instant;

/**
 * One notification on its way to one subscription, as queued by the webhooks' processor: {@code eventId} is the
 * receiver's idempotency key, {@code payload} the exact JSON body (signed as it is sent). {@code attempts} so far, the
 * last one's HTTP status (null when no answer came) and error, and when the next is due; {@code deliveredAt} once a
 * 2xx answered it.
 */
public record Delivery(
        long deliveryId,
        String webhookId,
        String eventId,
        String eventType,
        String payload,
        Instant createdAt,
        State state,
        int attempts,
        Integer lastStatus,
        String lastError,
        Instant lastAttemptAt,
        Instant nextAttemptAt,
        Instant deliveredAt) {

    public enum State {
        PENDING,
        DELIVERED
    }
}
