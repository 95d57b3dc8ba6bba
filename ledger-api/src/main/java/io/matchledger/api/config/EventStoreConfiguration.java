package io.matchledger.api.config;

import io.matchledger.api.positions.WritePositions;
import java.time.Duration;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JPA event store, as Axon's auto-configuration builds it, but with the range-bounded processor query and a
 * smaller cache of recent events.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
public class EventStoreConfiguration {

    /**
     * A gap in the global sequence is either a write still in flight or one that rolled back. Processors carry every
     * gap younger than the commit grace in each event's token (Axon's default: a minute); failed appends under
     * contention leave hundreds, so the grace is the one the audit export uses: how long a write may take to commit.
     */
    @Bean
    public EventStorageEngine eventStorageEngine(
            Serializer serializer,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            PersistenceExceptionResolver persistenceExceptionResolver,
            org.axonframework.config.Configuration configuration,
            EntityManagerProvider entityManagerProvider,
            TransactionManager transactionManager,
            @Value("${ledger.event-store.commit-grace:10s}") Duration commitGrace,
            WritePositions positions) {
        return LedgerJpaEventStorageEngine.builder()
                .writePositions(positions)
                .snapshotSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .gapTimeout(Math.toIntExact(commitGrace.toMillis()))
                .build();
    }

    /**
     * The store keeps the latest events in memory for the processors that tail it. Axon keeps 10,000, and each one
     * holds its own tracking token with a copy of every young gap in the global sequence; with several processes
     * appending (failed appends leave gaps) that was 200 MB of tokens in one process, which then spent its time
     * collecting garbage. The processors read batches of 100, so a thousand is plenty.
     */
    @Bean
    public EmbeddedEventStore eventStore(
            EventStorageEngine storageEngine,
            org.axonframework.config.Configuration configuration,
            @Value("${ledger.event-store.cached-events:1000}") int cachedEvents) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .cachedEvents(cachedEvents)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .build();
    }
}
