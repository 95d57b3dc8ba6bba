package io.matchledger.api.webhooks;

import io.matchledger.api.problems.FieldProblem;
import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.projections.webhooks.Delivery;
import io.matchledger.projections.webhooks.Subscription;
import io.matchledger.projections.webhooks.WebhookEvent;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The bodies of the webhook operations. */
final class WebhookRequests {

    /** The event types, as the document lists them. */
    static final String EVENT_TYPES = "season.sealed, match.voided, leaderboard.entered, leaderboard.left, "
            + "season.leaderboard.entered, season.leaderboard.left";

    private WebhookRequests() {}

    /** The events subscribed to, once every field fits with the others; a validation problem naming each that does not. */
    static Set<WebhookEvent> checked(Subscribe request, WebhookTargets targets) {
        List<FieldProblem> problems = new ArrayList<>();
        Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
        for (String type : request.events()) {
            WebhookEvent.of(type)
                    .ifPresentOrElse(
                            events::add,
                            () -> problems.add(
                                    new FieldProblem("events", "unknown type " + type + "; one of " + EVENT_TYPES)));
        }
        boolean ranked = events.stream().anyMatch(WebhookEvent::needsTopN);
        if (ranked && request.topN() == null) {
            problems.add(new FieldProblem("topN", "is required with the leaderboard events"));
        }
        if (!ranked && request.topN() != null) {
            problems.add(new FieldProblem("topN", "is only for the leaderboard events"));
        }
        targets.refusal(request.url()).ifPresent(refusal -> problems.add(new FieldProblem("url", refusal)));
        if (!problems.isEmpty()) {
            throw new InvalidRequest(problems);
        }
        return events;
    }

    @Schema(
            description = "An endpoint subscribed to ledger events. The secret signs every delivery (header "
                    + "Ledger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">); it is stored encrypted and "
                    + "never returned.")
    record Subscribe(
            @Schema(
                    description =
                            "https outside private and loopback networks, unless ledger.webhooks.allowed-networks "
                                    + "lists the address",
                    example = "https://game.example.com/ledger-hooks")
            @NotNull
            @Size(max = 2048)
            String url,

            @ArraySchema(
                    schema =
                            @Schema(
                                    allowableValues = {
                                        "season.sealed",
                                        "match.voided",
                                        "leaderboard.entered",
                                        "leaderboard.left",
                                        "season.leaderboard.entered",
                                        "season.leaderboard.left"
                                    }),
                    minItems = 1)
            @NotEmpty
            List<@NotNull String> events,

            @Schema(description = "16 to 256 printable ASCII characters, no spaces", example = "whsec-3f9a1c07b2e8d4")
            @NotNull
            @Size(min = 16, max = 256)
            @Pattern(regexp = "[!-~]*", message = "must be printable ASCII without spaces")
            String secret,

            @Schema(description = "The N of the top N, for the leaderboard events (required with them)")
            @Min(1)
            @Max(1000)
            Integer topN) {

        /** A new subscription, active, told of what the ledger records after {@code head}. */
        Subscription subscription(String webhookId, Set<WebhookEvent> events, String secretCipher, long head) {
            Instant now = Instant.now();
            return new Subscription(
                    webhookId, url, events, topN, secretCipher, Subscription.Status.ACTIVE, 0, null, head, now, now);
        }
    }

    @Schema(description = "A subscription, without its secret")
    record View(
            String webhookId,
            String url,
            List<String> events,
            Integer topN,
            @Schema(allowableValues = {"ACTIVE", "PAUSED"}) String status,

            @Schema(description = "Failed attempts in a row")
            int failures,

            String pausedReason,
            @Schema(description = "Deliveries not yet made") long pending,
            Instant createdAt,
            Instant updatedAt) {

        static View of(Subscription subscription, long pending) {
            return new View(
                    subscription.webhookId(),
                    subscription.url(),
                    subscription.events().stream().map(WebhookEvent::type).toList(),
                    subscription.topN(),
                    subscription.status().name(),
                    subscription.failures(),
                    subscription.pausedReason(),
                    pending,
                    subscription.createdAt(),
                    subscription.updatedAt());
        }
    }

    record Subscriptions(List<View> webhooks) {}

    @Schema(
            description = "One delivery: attempts so far, the last one's status (null when no answer came) and error, "
                    + "the next try while it is pending")
    record DeliveryView(
            long deliveryId,

            @Schema(description = "The receiver's idempotency key (also header Ledger-Event-Id)")
            String eventId,

            String type,
            Instant createdAt,

            @Schema(allowableValues = {"PENDING", "DELIVERED"})
            String state,

            int attempts,
            Integer lastStatus,
            String lastError,
            Instant lastAttemptAt,
            Instant nextAttemptAt,
            Instant deliveredAt) {

        static DeliveryView of(Delivery delivery) {
            boolean pending = delivery.state() == Delivery.State.PENDING;
            return new DeliveryView(
                    delivery.deliveryId(),
                    delivery.eventId(),
                    delivery.eventType(),
                    delivery.createdAt(),
                    delivery.state().name(),
                    delivery.attempts(),
                    delivery.lastStatus(),
                    delivery.lastError(),
                    delivery.lastAttemptAt(),
                    pending ? delivery.nextAttemptAt() : null,
                    delivery.deliveredAt());
        }
    }

    @Schema(description = "Newest first; pass nextBefore as before for the page after")
    record DeliveryPage(String webhookId, String status, List<DeliveryView> deliveries, Long nextBefore) {}
}
