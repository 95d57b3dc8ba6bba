package io.matchledger.core;

import io.matchledger.core.personal.PersonalData;
import java.util.concurrent.Executor;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.lock.NullLockFactory;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;

/**
 * Registers the ledger's streams, the {@link SettlementBoundary} and the upcasters of its stored events with Axon. Plain Axon
 * configuration, so the same module serves the Spring Boot service and the in-memory tests.
 *
 * @param playerCache       keeps recently used player ledgers in memory, so a command does not reload history
 * @param snapshotThreshold a player's snapshot is taken after this many events since the last one, which bounds the
 *                          work of loading a ledger that is not cached
 * @param snapshotExecutor  where snapshots are taken: not the command thread, which would pay for them
 * @param sharedStore       other processes write the same store, so a cached ledger may be stale: check each load
 *                          against the store ({@link StoreCheckedRepository})
 * @param retries           when a command that failed for a transient reason is sent again; the one that matters is
 *                          a lost race for a stream ({@link JitteredRetryScheduler}), which is how racing duplicates
 *                          come to be answered as duplicates
 * @param personalData      seals players' names under their keys and erases them (ADR 0019); the {@link Player}'s
 *                          handlers take it as a parameter, so the configuration must resolve it too (a Spring bean,
 *                          or a component of Axon's configurer)
 */
public record LedgerModule(
        Cache playerCache,
        int snapshotThreshold,
        Executor snapshotExecutor,
        boolean sharedStore,
        RetryScheduler retries,
        PersonalData personalData)
        implements ConfigurerModule {

    /** One process owns the store: its cache cannot fall behind. */
    public LedgerModule(
            Cache playerCache,
            int snapshotThreshold,
            Executor snapshotExecutor,
            RetryScheduler retries,
            PersonalData personalData) {
        this(playerCache, snapshotThreshold, snapshotExecutor, false, retries, personalData);
    }

    /**
     * The gateway commands are sent through, the service's and the tests' alike (each registers it where its
     * configuration takes it: a Spring bean, a component of Axon's configurer). Every command is idempotent by its
     * key, so sending one again after a transient failure is safe, and {@link StoreCheckedRepository} relies on it.
     */
    public CommandGateway commandGateway(CommandBus commandBus) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(retries)
                .build();
    }

    @Override
    public void configureModule(Configurer configurer) {
        AggregateConfigurer<Player> players = AggregateConfigurer.defaultConfiguration(Player.class);
        players.configureCache(c -> playerCache).configureSnapshotTrigger(c -> snapshotTrigger(c, players));
        if (sharedStore) {
            players.configureRepository(c -> StoreCheckedRepository.checkedBuilder(Player.class)
                    .parameterResolverFactory(c.parameterResolverFactory())
                    .handlerDefinition(c.handlerDefinition(Player.class))
                    .eventStore(c.eventStore())
                    .aggregateFactory(players.aggregateFactory())
                    .snapshotTriggerDefinition(snapshotTrigger(c, players))
                    .repositoryProvider(c::repository)
                    .cache(playerCache)
                    .build());
        }
        configurer
                .configureAggregate(players)
                // Key streams take no lock in the process (the lock order, SettlementBoundary): only player ledgers do.
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Match.class)
                        .configureLockFactory(c -> NullLockFactory.INSTANCE))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Adjustment.class)
                        .configureLockFactory(c -> NullLockFactory.INSTANCE))
                .configureAggregate(SeasonCalendar.class)
                .registerEventUpcaster(c -> new UndatedMatchUpcaster())
                .registerEventUpcaster(c -> new PlaintextNameUpcaster())
                .registerCommandHandler(c -> new SettlementBoundary(
                        c.repository(Player.class),
                        c.repository(Match.class),
                        c.repository(Adjustment.class),
                        c.eventStore(),
                        c.spanFactory()))
                .registerCommandHandler(c -> new SeasonKeeper(c.repository(SeasonCalendar.class)))
                .registerCommandHandler(c -> new Erasures(c.repository(Player.class), personalData));
    }

    private EventCountSnapshotTriggerDefinition snapshotTrigger(Configuration c, AggregateConfigurer<Player> players) {
        return new EventCountSnapshotTriggerDefinition(snapshotter(c, players), snapshotThreshold);
    }

    private AggregateSnapshotter snapshotter(Configuration c, AggregateConfigurer<Player> players) {
        return AggregateSnapshotter.builder()
                .eventStore(c.eventStore())
                .aggregateFactories(players.aggregateFactory())
                .repositoryProvider(c::repository)
                .parameterResolverFactory(c.parameterResolverFactory())
                .handlerDefinition(c.handlerDefinition(Player.class))
                .transactionManager(c.getComponent(TransactionManager.class, NoTransactionManager::instance))
                .executor(snapshotExecutor)
                .build();
    }
}
