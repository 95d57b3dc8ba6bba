package io.matchledger.projections.lifecycle;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.read-models.*}: the one processor of the read models across processes (ADR 0018).
 *
 * @param balanceEvery how often each process says it is alive and gives up segments beyond its share
 *                     ({@link SegmentBalancer}); a released segment is not claimed here again for three of these
 */
@Validated
@ConfigurationProperties("ledger.read-models")
public record ReadModelSettings(
        @NotNull @DurationMin(millis = 1) @DefaultValue("5s")
        Duration balanceEvery) {}
