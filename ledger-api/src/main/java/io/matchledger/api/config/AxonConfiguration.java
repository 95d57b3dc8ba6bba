package io.matchledger.api.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.matchledger.core.GroupCommit;
import io.matchledger.core.JitteredRetryScheduler;
import io.matchledger.core.LedgerModule;
import io.matchledger.core.personal.PersonalData;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.AsynchronousCommandBus;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.interceptors.TransactionManagingInterceptor;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.tracing.SpanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** Wires the ledger domain into Axon: serializers, the ledger module, and how commands are retried. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CommandSettings.class, LedgerModuleSettings.class, GroupCommitSettings.class})
public class AxonConfiguration {

    /**
     * One Jackson serializer for messages, events and snapshots, on an ObjectMapper of its own: the web's mapper
     * refuses unknown fields, but a snapshot written before a field was removed must still load.
     */
    @Bean
    @Primary
    public Serializer serializer() {
        ObjectMapper mapper = new ObjectMapper()
                .findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return JacksonSerializer.builder()
                .objectMapper(mapper)
                .lenientDeserialization()
                .build();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer(Serializer serializer) {
        return serializer;
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer(Serializer serializer) {
        return serializer;
    }

    /** Snapshots are taken on their own thread; when it falls behind, a skipped snapshot is only taken later. */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService snapshotExecutor() {
        return new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1_000),
                runnable -> new Thread(runnable, "ledger-snapshotter"),
                new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Player ledgers kept in memory between commands, so a command does not reload a player's history. */
    @Bean
    public BoundedLedgerCache playerCache(LedgerModuleSettings settings) {
        return new BoundedLedgerCache(settings.playerCache().maximumSize());
    }

    @Bean
    public LedgerModule ledgerModule(
            LedgerModuleSettings settings,
            BoundedLedgerCache playerCache,
            @Qualifier("snapshotExecutor") ExecutorService snapshotExecutor,
            JitteredRetryScheduler commandRetryScheduler,
            PersonalData personalData) {
        return new LedgerModule(
                playerCache,
                settings.snapshotThreshold(),
                snapshotExecutor,
                settings.sharedStore(),
                commandRetryScheduler,
                personalData);
    }

    /**
     * Axon's own command bus as its auto-configuration builds it (transactions, monitors, correlation data), but with
     * a bounded number of threads running commands ({@code ledger.commands.threads}, by default two per core; 0 runs
     * each on its caller's thread, as Axon's default bus does). With each on its caller's thread, 32 clients meant 32
     * commands at once on two cores, the projections' three threads got a sliver of the CPU between them, and the
     * read model fell seconds behind a load the ledger acknowledged. Bounded, a burst is acknowledged more slowly
     * (commands wait in the pool's queue) but the read model keeps up (docs/performance.md). Callers wait for their
     * command's answer either way. It is the local segment, so on Axon Server it runs the commands routed here.
     * <p>
     * The transaction starts in the first handler interceptor, not in the bus: Axon's bus starts the transaction it is
     * given before it runs the command, and when that fails (no connection within the pool's timeout) the failure
     * escapes the bus without reaching the command's callback. The command thread died and its caller waited forever:
     * during a database outage a void, an adjustment or a group of matches never answered. Started in the interceptor,
     * the failure is the command's result like any other, answered 503.
     */
    @Bean
    @Qualifier("localSegment")
    public CommandBus commandBus(
            TransactionManager transactionManager,
            org.axonframework.config.Configuration axon,
            DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
            CommandSettings settings) {
        int threads = settings.threads() < 0 ? 2 * Runtime.getRuntime().availableProcessors() : settings.threads();
        SimpleCommandBus.Builder builder = threads > 0
                ? AsynchronousCommandBus.builder().executor(commandExecutor(threads))
                : SimpleCommandBus.builder();
        SimpleCommandBus commandBus = builder.duplicateCommandHandlerResolver(duplicateCommandHandlerResolver)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        commandBus.registerHandlerInterceptor(new TransactionManagingInterceptor<>(transactionManager));
        commandBus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return commandBus;
    }

    /** Shut down with the bus: Spring calls {@link AsynchronousCommandBus#shutdown()} when the context closes. */
    private static ExecutorService commandExecutor(int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(
                threads, runnable -> new Thread(runnable, "ledger-command-" + count.incrementAndGet()));
    }

    /**
     * Matches that arrive together share a unit of work and a transaction (docs/decisions/0007). Closed before the
     * gateway it sends through: queued matches are recorded first.
     */
    @Bean(destroyMethod = "close")
    public GroupCommit groupCommit(
            CommandGateway commandGateway, GroupCommitSettings settings, SpanFactory spans, MeterRegistry meters) {
        DistributionSummary sizes = DistributionSummary.builder("ledger.group.size")
                .description("Matches committed together in one group (one transaction)")
                .baseUnit("matches")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(meters);
        GroupCommit groups = new GroupCommit(
                commandGateway,
                settings.lanes(),
                settings.maxGroup(),
                settings.capacity(),
                settings.timeout(),
                spans,
                sizes::record);
        FunctionCounter.builder("ledger.group.splits", groups, GroupCommit::splits)
                .description("Groups split in two after they lost a race for a ledger to another writer")
                .register(meters);
        return groups;
    }

    /** As {@link LedgerModule} configures it, with the retries above: the fixtures send through the same gateway. */
    @Bean
    public CommandGateway commandGateway(CommandBus commandBus, LedgerModule ledger) {
        return ledger.commandGateway(commandBus);
    }
}
