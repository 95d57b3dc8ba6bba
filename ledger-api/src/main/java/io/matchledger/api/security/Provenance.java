package io.matchledger.api.security;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where an event came from: who and which request ({@link RecordedBy}), and the command that caused it. */
@Configuration(proxyBeanMethods = false)
public class Provenance {

    @Bean
    RecordedBy recordedBy() {
        return new RecordedBy();
    }

    /** Copies who and which request from a command onto the events it appends. */
    @Bean
    CorrelationDataProvider recordedByCorrelation() {
        return new SimpleCorrelationDataProvider(RecordedBy.PRINCIPAL, RecordedBy.REQUEST_ID);
    }

    /** Axon's default provider (correlation and trace ids) steps aside for any other one: keep it. */
    @Bean
    CorrelationDataProvider messageOrigin() {
        return new MessageOriginProvider();
    }
}
