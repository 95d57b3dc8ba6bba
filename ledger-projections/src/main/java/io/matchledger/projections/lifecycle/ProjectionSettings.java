package io.matchledger.projections.lifecycle;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.projections.*}: how read models are rebuilt (ADR 0012).
 *
 * @param rebuildBatchSize events a rebuild's processor handles in one batch (one transaction)
 * @param rebuildCatchUpWithin how long a rebuild may take to come near the head of the store, with the live model
 *     running; a rebuild that has not come that far by then fails, and the live model is kept
 * @param rebuildFinishWithin how long the live model may stand still while the rebuild finishes what the live model
 *     had processed; a rebuild that has not finished by then fails, and the live model is kept and started again
 */
@Validated
@ConfigurationProperties("ledger.projections")
public record ProjectionSettings(
        @Positive @DefaultValue("1000") int rebuildBatchSize,

        @NotNull @DurationMin(seconds = 1) @DefaultValue("24h")
        Duration rebuildCatchUpWithin,

        @NotNull @DurationMin(seconds = 1) @DefaultValue("60s")
        Duration rebuildFinishWithin) {}
