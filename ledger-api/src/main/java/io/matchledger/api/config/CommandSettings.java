package io.matchledger.api.config;

import io.matchledger.core.JitteredRetryScheduler;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.commands.*}: how commands run.
 *
 * @param threads threads that run commands ({@link AxonConfiguration#commandBus}): -1 for two per core (which leaves
 *                the projections CPU to keep up), 0 to run each on its caller's thread
 * @param timeout how long a request waits for a command sent alone (a registration, an adjustment, a void, a season's
 *                definition) before it is answered 503 /problems/unavailable instead ({@link TimelyCommands}); it may
 *                yet be recorded, and sending it again is safe. Matches have their own,
 *                {@code ledger.group-commit.timeout}
 * @param retries when a command that failed is sent again ({@link CommandRetries})
 */
@Validated
@ConfigurationProperties("ledger.commands")
public record CommandSettings(
        @Min(-1) @DefaultValue("-1") int threads,

        @NotNull @DurationMin(millis = 100) @DefaultValue("5s")
        Duration timeout,

        @NotNull @Valid @DefaultValue Retries retries) {

    /**
     * {@code ledger.commands.retries.*}: the budgets of {@link JitteredRetryScheduler}, whose defaults these are.
     *
     * @param conflicts       lost races (another writer appended to the same stream first) retried at most this often
     * @param conflictBaseMs  the longest wait before the first retry after a lost race, in milliseconds; each further
     *                        one waits up to twice as long as the last could (full jitter)
     * @param conflictCapMs   the longest wait before any retry after a lost race, in milliseconds
     * @param others          any other transient failure (a database that is away above all) retried at most this often
     * @param otherWaitMs     the longest wait before such a retry, in milliseconds
     */
    public record Retries(
            @PositiveOrZero @DefaultValue("" + JitteredRetryScheduler.CONFLICT_RETRIES)
            int conflicts,

            @Min(1) @DefaultValue("" + JitteredRetryScheduler.CONFLICT_BASE_MILLIS)
            long conflictBaseMs,

            @Min(1) @DefaultValue("" + JitteredRetryScheduler.CONFLICT_CAP_MILLIS)
            long conflictCapMs,

            @PositiveOrZero @DefaultValue("" + JitteredRetryScheduler.OTHER_RETRIES)
            int others,

            @PositiveOrZero @DefaultValue("" + JitteredRetryScheduler.OTHER_WAIT_MILLIS)
            long otherWaitMs) {

        @AssertTrue(message = "conflict-cap-ms is at least conflict-base-ms")
        public boolean isCapAtLeastBase() {
            return conflictCapMs >= conflictBaseMs;
        }
    }
}
