package io.matchledger.api.webhooks;

import io.matchledger.core.Causes;
import io.matchledger.projections.webhooks.Delivery;
import io.matchledger.projections.webhooks.Subscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * One attempt at a delivery: a signed POST of its payload, through Spring's observed {@link RestClient} (a client span,
 * and {@code traceparent} sent along), never following a redirect (it could lead where {@link WebhookTargets} would not
 * let a subscription point), to a URL checked again as it is resolved now.
 */
@Component
class WebhookAttempts {

    /** The receiver's status (null when none came) and, unless it was a 2xx, what went wrong. */
    record Outcome(Integer status, String error) {}

    private final WebhookSecrets secrets;
    private final WebhookTargets targets;
    private final RestClient http;

    WebhookAttempts(WebhookSettings settings, WebhookSecrets secrets, WebhookTargets targets, RestClient.Builder http) {
        this.secrets = secrets;
        this.targets = targets;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        requests.setReadTimeout(settings.timeout());
        this.http = http.requestFactory(requests).build();
    }

    Outcome attempt(Subscription subscription, Delivery delivery, Instant at) {
        Optional<String> refusal = targets.refusal(subscription.url());
        if (refusal.isPresent()) {
            return new Outcome(null, "not sent: the url " + refusal.get());
        }
        try {
            int status = http.post()
                    .uri(URI.create(subscription.url()))
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(WebhookSignature.EVENT_ID, delivery.eventId())
                    .header(WebhookSignature.EVENT_TYPE, delivery.eventType())
                    .header(WebhookSignature.WEBHOOK_ID, subscription.webhookId())
                    .header(WebhookSignature.ATTEMPT, Integer.toString(delivery.attempts() + 1))
                    .header(
                            WebhookSignature.HEADER,
                            WebhookSignature.sign(
                                    secrets.decrypt(subscription.secretCipher()),
                                    at.getEpochSecond(),
                                    delivery.payload()))
                    .body(delivery.payload())
                    .exchange((request, response) -> response.getStatusCode().value());
            return new Outcome(status, status / 100 == 2 ? null : "answered " + status);
        } catch (RuntimeException noAnswer) {
            return new Outcome(null, "no answer: " + rootCause(noAnswer));
        }
    }

    private static String rootCause(Throwable failure) {
        Throwable root = Causes.root(failure);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }
}
