package io.matchledger.api.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.group-commit.*}: matches that arrive together share a unit of work and a transaction
 * ({@link io.matchledger.core.GroupCommit}, ADR 0007).
 *
 * @param lanes    groups decided at once, each on a lane of its own
 * @param maxGroup the most matches one group (one transaction) holds
 * @param capacity matches that may wait for a lane; past it a match is answered 503 /problems/busy at once
 * @param timeout  a match is answered within this long of arriving, whatever the database does: 503 if it was not
 *                 decided by then, /problems/busy when it was still queued (not recorded), /problems/unavailable when
 *                 its group was being decided (it may yet be recorded; sending it again is safe)
 */
@Validated
@ConfigurationProperties("ledger.group-commit")
public record GroupCommitSettings(
        @Positive @DefaultValue("2") int lanes,
        @Positive @DefaultValue("64") int maxGroup,
        @Positive @DefaultValue("10000") int capacity,

        @NotNull @DurationMin(millis = 1) @DefaultValue("5s")
        Duration timeout) {}
