package io.matchledger.api.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.commands.*}: how commands run.
 *
 * @param threads threads that run commands ({@link AxonConfiguration#commandBus}): -1 for two per core, 0 to run each
 *                on its caller's thread
 * @param timeout how long a request waits for a command sent alone (a registration, an adjustment, a void, a season's
 *                definition) before it is answered 503 instead ({@link TimelyCommands}); matches have their own,
 *                {@code ledger.group-commit.timeout}
 */
@Validated
@ConfigurationProperties("ledger.commands")
public record CommandSettings(
        @DefaultValue("-1") int threads,

        @NotNull @DurationMin(millis = 100) @DefaultValue("5s")
        Duration timeout) {}
