package io.matchledger.api.webhooks;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How webhooks are delivered ({@code ledger.webhooks.*}, ADR 0017).
 *
 * @param allowedNetworks CIDR ranges a subscription's URL may reach over plain {@code http} and although they are
 *     private or loopback (by default none: only {@code https} to public addresses)
 * @param secretKey the key that encrypts the subscriptions' signing secrets (AES-256, base64 of 32 bytes); the same on
 *     every process of a ledger. Without it, {@code secretKeyFile}
 * @param secretKeyFile where the embedded default keeps a key it made itself, beside its data; empty where the store is
 *     shared (several processes need one key: set {@code secretKey}), and then webhooks are unavailable without a key
 * @param initialBackoff the wait after a first failed attempt; it doubles with each failure, with jitter
 * @param maxBackoff the longest wait between two attempts
 * @param pauseAfter failed attempts in a row after which a subscription is paused until an operator resumes it
 * @param timeout how long an attempt waits for the receiver's answer (and for a connection)
 * @param pollInterval how often each process looks for deliveries that are due
 * @param senders deliveries under way at once per process (each subscription's one at a time, in order)
 * @param lease how long a process holds a subscription's queue between two attempts; longer than {@code timeout}
 */
@Validated
@ConfigurationProperties("ledger.webhooks")
public record WebhookSettings(
        @DefaultValue List<@Pattern(regexp = "[0-9a-fA-F:.]+/\\d{1,3}") String> allowedNetworks,
        String secretKey,
        String secretKeyFile,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("10m") Duration maxBackoff,
        @Min(1) @Max(1000) @DefaultValue("10") int pauseAfter,
        @NotNull @DefaultValue("10s") Duration timeout,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @Min(1) @Max(64) @DefaultValue("4") int senders,
        @NotNull @DefaultValue("60s") Duration lease) {

    @AssertTrue(message = "lease must be longer than timeout, and the back-offs positive with initial <= max")
    boolean isConsistent() {
        return lease.compareTo(timeout) > 0
                && initialBackoff.compareTo(Duration.ZERO) > 0
                && maxBackoff.compareTo(initialBackoff) >= 0
                && pollInterval.compareTo(Duration.ZERO) > 0;
    }
}
