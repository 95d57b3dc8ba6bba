package io.matchledger.api.config;

import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JPA event store, as Axon's auto-configuration builds it, but with the range-bounded processor query. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
public class EventStoreConfiguration {

    @Bean
    public EventStorageEngine eventStorageEngine(Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 org.axonframework.config.Configuration configuration,
                                                 EntityManagerProvider entityManagerProvider,
                                                 TransactionManager transactionManager) {
        return RangeBoundedJpaEventStorageEngine.builder()
                                                .snapshotSerializer(serializer)
                                                .upcasterChain(configuration.upcasterChain())
                                                .persistenceExceptionResolver(persistenceExceptionResolver)
                                                .eventSerializer(eventSerializer)
                                                .snapshotFilter(configuration.snapshotFilter())
                                                .entityManagerProvider(entityManagerProvider)
                                                .transactionManager(transactionManager)
                                                .build();
    }
}
