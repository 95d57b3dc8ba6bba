package io.matchledger.api.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.metrics.*}: the service's meters.
 *
 * @param capacityWindow the window of Axon's capacity gauges ({@link MetricsConfiguration}): Axon keeps every handling
 *                       time of the last ten minutes, hundreds of MB under load; a scrape interval is enough
 */
@Validated
@ConfigurationProperties("ledger.metrics")
public record MetricsSettings(
        @NotNull @DurationMin(millis = 1) @DefaultValue("10s")
        Duration capacityWindow) {}
