package io.matchledger.api.positions;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.read-your-writes.*}: reads that ask for a write's position ({@link MinPosition}).
 *
 * @param maxWait how long a read with {@code minPosition} waits for its read model to reach it before it is answered
 *                503 with {@code Retry-After}, never the older state as if it were current
 */
@Validated
@ConfigurationProperties("ledger.read-your-writes")
public record ReadYourWritesSettings(
        @NotNull @DurationMin(millis = 0) @DefaultValue("5s")
        Duration maxWait) {}
