package io.matchledger.api.config;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the event store is written and read ({@code ledger.event-store.*}).
 *
 * @param appendBound the longest an append may take, from the moment its events were made to the moment their rows
 *     hold their global indexes; a later one rolls back and its command decides again. The season sealer relies on
 *     it (a season is sealed once its close is older than this, on every process's clock). It bounds a pause between
 *     deciding and appending, never how late a commit may be.
 * @param cachedEvents recent events kept in memory for the processors tailing the store (Axon's default is 10,000,
 *     each with a token holding every open gap)
 * @param gapSettle how long a gap in the global order is simply read again before the store is asked for evidence
 *     (most fill within milliseconds as their writes commit)
 * @param gapEvidenceEvery the least time between two rounds of evidence (one lock-table query on PostgreSQL)
 * @param readBatchSize events read from the store in one query by a processor that is behind (a rebuild, a replay, a
 *     processor catching up); at the head a query returns what there is. Axon's default is 100, a query per 100 events
 */
@Validated
@ConfigurationProperties("ledger.event-store")
public record EventStoreSettings(
        @DefaultValue("5s") @DurationMin(millis = 100) Duration appendBound,
        @DefaultValue("1000") @Positive int cachedEvents,
        @DefaultValue("50ms") @DurationMin(millis = 0) Duration gapSettle,
        @DefaultValue("20ms") @DurationMin(millis = 1) Duration gapEvidenceEvery,
        @DefaultValue("1000") @Positive int readBatchSize) {}
