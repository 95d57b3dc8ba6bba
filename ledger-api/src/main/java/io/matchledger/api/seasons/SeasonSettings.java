package io.matchledger.api.seasons;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.seasons.*}: seasons as data (ADR 0013).
 *
 * @param grace     the commit grace: how long after a season's end the matches the ledger records still count in it
 *                  (a season may set its own); this is its only default
 * @param sealCheck how often each process looks for closed seasons to seal ({@link SeasonSealer}); a second seal is a
 *                  no-op
 */
@Validated
@ConfigurationProperties("ledger.seasons")
public record SeasonSettings(
        @NotNull @DurationMin(millis = 0) @DefaultValue("PT1H")
        Duration grace,

        @NotNull @DurationMin(millis = 1) @DefaultValue("5s")
        Duration sealCheck) {}
