package io.matchledger.api.config;

import io.matchledger.api.audit.StoredEvents;
import io.matchledger.api.positions.WritePositions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The JPA event store, as Axon's auto-configuration builds it, but with the ledger's engine (batched appends, gaps
 * given up only on evidence, ADR 0014), a smaller cache of recent events, and a second engine on the same tables
 * that reads events as written, for the audit.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
@EnableConfigurationProperties(EventStoreSettings.class)
public class EventStoreConfiguration {

    /**
     * Which appends are in flight: PostgreSQL's lock table, which sees every process's; otherwise (the embedded H2
     * store, which one process opens at a time) this process's own.
     */
    @Bean
    public InFlightAppends inFlightAppends(DataSource dataSource) {
        return isPostgres(dataSource)
                ? new PostgresInFlightAppends(new JdbcTemplate(dataSource))
                : new LocalInFlightAppends();
    }

    @Bean
    public StoreGaps storeGaps(InFlightAppends appends, EventStoreSettings settings) {
        return new StoreGaps(appends, settings.gapSettle(), settings.gapEvidenceEvery());
    }

    /**
     * Writes that may still commit below what the processors have read (how many, how long the oldest has waited), and
     * appends refused by the append bound (a process that stood still between deciding and appending).
     */
    @Bean
    public MeterBinder storeGapMeters(StoreGaps gaps, EventStorageEngine engine) {
        return registry -> {
            if (engine instanceof LedgerJpaEventStorageEngine ledger) {
                FunctionCounter.builder("ledger.store.stale.appends", ledger, LedgerJpaEventStorageEngine::staleAppends)
                        .description("Appends rolled back because their events were older than the append bound")
                        .register(registry);
            }
            Gauge.builder("ledger.store.open.gaps", gaps, StoreGaps::openGaps)
                    .description("Positions below the newest event whose writes may still commit")
                    .register(registry);
            Gauge.builder("ledger.store.oldest.open.gap", gaps, StoreGaps::oldestOpenGapSeconds)
                    .baseUnit("seconds")
                    .description("Since the oldest open position was first seen")
                    .register(registry);
        };
    }

    @Bean
    public EventStorageEngine eventStorageEngine(
            Serializer serializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            org.axonframework.config.Configuration configuration,
            EntityManagerProvider entityManagerProvider,
            TransactionManager transactionManager,
            InFlightAppends appends,
            StoreGaps gaps,
            EventStoreSettings settings,
            WritePositions positions) {
        return LedgerJpaEventStorageEngine.builder()
                .writePositions(positions)
                .inFlightAppends(appends)
                .storeGaps(gaps)
                .appendBound(settings.appendBound())
                .snapshotSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .batchSize(settings.readBatchSize())
                .build();
    }

    /**
     * The store keeps the latest events in memory for the processors that tail it. Axon keeps 10,000, and each one
     * holds its own tracking token with a copy of every open gap in the global sequence; with several processes
     * appending (failed appends leave gaps) that was 200 MB of tokens in one process, which then spent its time
     * collecting garbage. The processors read batches of 100, so a thousand is plenty.
     */
    @Bean
    public EmbeddedEventStore eventStore(
            EventStorageEngine storageEngine,
            org.axonframework.config.Configuration configuration,
            EventStoreSettings settings) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .cachedEvents(settings.cachedEvents())
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .build();
    }

    /**
     * The events as written, for the audit: an engine of the same kind on the same tables and gaps, without upcasters
     * (so payloads stay as stored) and reading a thousand at a time. It never appends.
     */
    @Bean
    public StoredEvents storedEvents(
            @Qualifier("eventSerializer") Serializer eventSerializer,
            EntityManagerProvider entityManagerProvider,
            TransactionManager transactionManager,
            InFlightAppends appends,
            StoreGaps gaps,
            EventStoreSettings settings) {
        EventStorageEngine asWritten = LedgerJpaEventStorageEngine.builder()
                .inFlightAppends(appends)
                .storeGaps(gaps)
                .appendBound(settings.appendBound())
                .snapshotSerializer(eventSerializer)
                .upcasterChain(NoOpEventUpcaster.INSTANCE)
                .eventSerializer(eventSerializer)
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .batchSize(1_000)
                .build();
        return new StoredEvents(
                new StoredEvents.Source() {
                    @Override
                    public Stream<? extends TrackedEventMessage<?>> after(long position) {
                        return asWritten.readEvents(
                                GapAwareTrackingToken.newInstance(Math.max(position, 0), Collections.emptySet()),
                                false);
                    }

                    @Override
                    public long head() {
                        TrackingToken head = asWritten.createHeadToken();
                        return head == null ? 0 : head.position().orElse(0);
                    }
                },
                eventSerializer);
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        } catch (java.sql.SQLException unreachable) {
            throw new IllegalStateException("cannot tell which database the event store is on", unreachable);
        }
    }
}
