package io.matchledger.api.webhooks;

import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.projections.lifecycle.Projections;
import io.matchledger.projections.webhooks.Deliveries;
import io.matchledger.projections.webhooks.Delivery;
import io.matchledger.projections.webhooks.Subscription;
import io.matchledger.projections.webhooks.Subscriptions;
import io.matchledger.projections.webhooks.WebhookEvent;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operators subscribe game backends' endpoints to ledger events, and watch and resume their deliveries (ADR 0017). */
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final WebhookSecrets secrets;
    private final WebhookTargets targets;
    private final Projections projections;

    public WebhookController(
            Subscriptions subscriptions,
            Deliveries deliveries,
            WebhookSecrets secrets,
            WebhookTargets targets,
            Projections projections) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.targets = targets;
        this.projections = projections;
    }

    @Operation(
            summary = "Subscribe an endpoint to ledger events",
            description = "Events: " + WebhookRequests.EVENT_TYPES + ". The endpoint is told of what the ledger "
                    + "records after this call, each event POSTed as JSON {id, type, createdAt, position, data}, at "
                    + "least once, in order, signed (Ledger-Signature) with the event id as the idempotency key "
                    + "(Ledger-Event-Id). 201 when new, 200 when changed or unchanged; what was queued stays queued.")
    @Answers(
            id = "subscribeWebhook",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = {201, 200},
            location = true,
            problems = ProblemType.WEBHOOKS_UNAVAILABLE)
    @PutMapping("/api/webhooks/{webhookId}")
    public ResponseEntity<WebhookRequests.View> subscribe(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String webhookId,
            @Valid @RequestBody WebhookRequests.Subscribe request,
            Principal principal) {
        if (!secrets.available()) {
            throw new ErrorResponseException(
                    HttpStatus.NOT_IMPLEMENTED,
                    ProblemType.WEBHOOKS_UNAVAILABLE.problem(
                            "Set ledger.webhooks.secret-key (the same on every process) to subscribe endpoints."),
                    null);
        }
        Set<WebhookEvent> events = WebhookRequests.checked(request, targets);
        Optional<Subscription> existing = subscriptions.find(webhookId);
        if (existing.isEmpty()) {
            subscriptions.create(
                    request.subscription(webhookId, events, secrets.encrypt(request.secret()), projections.head()));
            log.info("Webhook {} subscribed to {} at {} by {}", webhookId, events, host(request), principal.getName());
            return ResponseEntity.created(URI.create("/api/webhooks/" + webhookId))
                    .body(view(webhookId));
        }
        Subscription was = existing.get();
        boolean same = was.url().equals(request.url())
                && was.events().equals(events)
                && java.util.Objects.equals(was.topN(), request.topN())
                && secrets.decrypt(was.secretCipher()).equals(request.secret());
        if (!same) {
            subscriptions.change(webhookId, request.url(), events, request.topN(), secrets.encrypt(request.secret()));
            log.info("Webhook {} changed to {} at {} by {}", webhookId, events, host(request), principal.getName());
        }
        return ResponseEntity.ok(view(webhookId));
    }

    @Operation(summary = "A subscription, without its secret")
    @Answers(id = "getWebhook", audience = Audience.OPERATORS, roles = Role.ADMIN, problems = ProblemType.NOT_FOUND)
    @GetMapping("/api/webhooks/{webhookId}")
    public WebhookRequests.View get(@PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String webhookId) {
        return view(webhookId);
    }

    @Operation(summary = "Every subscription, without secrets")
    @Answers(id = "listWebhooks", audience = Audience.OPERATORS, roles = Role.ADMIN)
    @GetMapping("/api/webhooks")
    public WebhookRequests.Subscriptions list() {
        return new WebhookRequests.Subscriptions(subscriptions.all().stream()
                .map(subscription ->
                        WebhookRequests.View.of(subscription, deliveries.pending(subscription.webhookId())))
                .toList());
    }

    @Operation(
            summary = "Unsubscribe an endpoint",
            description = "Its undelivered deliveries are dropped. 204; 404 when there is no such subscription.")
    @Answers(
            id = "unsubscribeWebhook",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            success = 204,
            problems = ProblemType.NOT_FOUND)
    @DeleteMapping("/api/webhooks/{webhookId}")
    public ResponseEntity<Void> delete(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String webhookId, Principal principal) {
        if (!subscriptions.delete(webhookId)) {
            throw new NotFound("webhook " + webhookId);
        }
        log.info("Webhook {} unsubscribed by {}", webhookId, principal.getName());
        return ResponseEntity.noContent().build();
    }

    @Operation(
            summary = "A subscription's deliveries, newest first",
            description = "Each with its attempts, the last status and error, and the next try while pending.")
    @Answers(
            id = "listWebhookDeliveries",
            audience = Audience.OPERATORS,
            roles = Role.ADMIN,
            problems = ProblemType.NOT_FOUND)
    @GetMapping("/api/webhooks/{webhookId}/deliveries")
    public WebhookRequests.DeliveryPage deliveries(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String webhookId,
            @RequestParam(required = false) @Min(1) Long before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        Subscription subscription =
                subscriptions.find(webhookId).orElseThrow(() -> new NotFound("webhook " + webhookId));
        List<Delivery> page = deliveries.page(webhookId, before, limit);
        return new WebhookRequests.DeliveryPage(
                webhookId,
                subscription.status().name(),
                page.stream().map(WebhookRequests.DeliveryView::of).toList(),
                page.size() == limit ? page.get(page.size() - 1).deliveryId() : null);
    }

    @Operation(
            summary = "Resume a paused subscription",
            description = "Its failures are forgotten and its oldest undelivered delivery is tried now; the others "
                    + "follow in order. An active subscription is tried now as well.")
    @Answers(id = "resumeWebhook", audience = Audience.OPERATORS, roles = Role.ADMIN, problems = ProblemType.NOT_FOUND)
    @PostMapping("/api/webhooks/{webhookId}/resume")
    public WebhookRequests.View resume(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String webhookId, Principal principal) {
        if (!subscriptions.resume(webhookId)) {
            throw new NotFound("webhook " + webhookId);
        }
        log.info("Webhook {} resumed by {}", webhookId, principal.getName());
        return view(webhookId);
    }

    private WebhookRequests.View view(String webhookId) {
        Subscription subscription =
                subscriptions.find(webhookId).orElseThrow(() -> new NotFound("webhook " + webhookId));
        return WebhookRequests.View.of(subscription, deliveries.pending(webhookId));
    }

    /** Only the host: a URL's path or query may carry the receiver's own token, which has no place in a log. */
    private static String host(WebhookRequests.Subscribe request) {
        return URI.create(request.url()).getHost();
    }
}
