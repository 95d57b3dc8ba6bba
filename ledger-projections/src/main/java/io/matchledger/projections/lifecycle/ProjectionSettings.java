package io.matchledger.projections.lifecycle;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.projections.*}: how read models are rebuilt (ADR 0012).
 *
 * @param rebuildBatchSize events a rebuild's processor handles in one batch (one transaction)
 */
@Validated
@ConfigurationProperties("ledger.projections")
public record ProjectionSettings(
        @Positive @DefaultValue("1000") int rebuildBatchSize) {}
