package io.matchledger.api.config;

import io.matchledger.core.JitteredRetryScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When a command that failed is sent again ({@link JitteredRetryScheduler}, given to {@link
 * io.matchledger.core.LedgerModule}, whose gateway uses it), and what that costs, as metrics.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandSettings.class)
public class CommandRetries {

    @Bean(destroyMethod = "shutdown")
    public ScheduledExecutorService commandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "ledger-command-retry"));
    }

    /**
     * Every command is idempotent by its key, so retrying one that failed for a transient reason is safe. The one
     * that matters: another writer appended to the same stream first (a concurrency conflict, the only lock that
     * spans processes); the retry reloads the stream and decides again, after a jittered wait so that the losers of
     * one race do not collide again. Its budget ({@code ledger.commands.retries.conflicts}) outlasts a hot spot of a
     * few players that three processes write at once; if it runs out anyway the caller gets a 503 to retry. Any other transient failure, a database that is away above all, is
     * retried once ({@code ledger.commands.retries.others}): each attempt already waited for the pool's connection
     * timeout, and the caller is better told 503 than held. Refusals are non-transient: never retried.
     */
    @Bean
    public JitteredRetryScheduler commandRetryScheduler(
            ScheduledExecutorService commandRetryExecutor, CommandSettings settings) {
        CommandSettings.Retries retries = settings.retries();
        return JitteredRetryScheduler.builder()
                .retryExecutor(commandRetryExecutor)
                .conflicts(retries.conflicts(), retries.conflictBaseMs(), retries.conflictCapMs())
                .others(retries.others(), retries.otherWaitMs())
                .build();
    }

    /**
     * What contention costs, at {@code /actuator/prometheus}: {@code ledger_command_retries_total} by reason
     * ({@code conflict}: a lost race; {@code other}: e.g. the database away) and {@code ledger_command_retries_exhausted_total}.
     */
    @Bean
    public MeterBinder commandRetryMeters(JitteredRetryScheduler scheduler) {
        return registry -> {
            FunctionCounter.builder("ledger.command.retries", scheduler, JitteredRetryScheduler::conflictRetries)
                    .tag("reason", "conflict")
                    .description("Commands retried after a lost race")
                    .register(registry);
            FunctionCounter.builder("ledger.command.retries", scheduler, JitteredRetryScheduler::otherRetries)
                    .tag("reason", "other")
                    .description("Commands retried after another transient failure")
                    .register(registry);
            FunctionCounter.builder("ledger.command.retries.exhausted", scheduler, JitteredRetryScheduler::exhausted)
                    .description("Commands whose retries ran out: their caller got the failure")
                    .register(registry);
        };
    }
}
