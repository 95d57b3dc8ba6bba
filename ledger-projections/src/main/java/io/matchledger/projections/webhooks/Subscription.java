package io.matchledger.projections.webhooks;

import java.time.Instant;
import java.util.Set;

/**
 * An endpoint subscribed to some {@link WebhookEvent}s. {@code secretCipher} is the signing secret encrypted (it is
 * never stored in the clear, never returned); {@code fromPosition} the head of the event store when it was made: it
 * is told of the ledger events after it. {@code failures} counts the failed attempts in a row; at the configured
 * number it is {@link Status#PAUSED} and deliveries wait (nothing is dropped) until an operator resumes it.
 */
public record Subscription(
        String webhookId,
        String url,
        Set<WebhookEvent> events,
        Integer topN,
        String secretCipher,
        Status status,
        int failures,
        String pausedReason,
        long fromPosition,
        Instant createdAt,
        Instant updatedAt) {

    public enum Status {
        ACTIVE,
        PAUSED
    }

    /** Whether a ledger event at {@code position} of {@code type} (for a top N of {@code topN}) is for it. */
    boolean wants(WebhookEvent type, Integer n, long position) {
        return position > fromPosition && events.contains(type) && (!type.needsTopN() || n.equals(topN));
    }
}
