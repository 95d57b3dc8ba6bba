package io.matchledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

@org.springframework.scheduling.annotation.EnableScheduling
@SpringBootApplication(scanBasePackages = "io.matchledger")
@EntityScan(
        basePackages = {
            "io.matchledger.projections",
            "org.axonframework.eventsourcing.eventstore.jpa",
            "org.axonframework.eventhandling.tokenstore.jpa",
            "org.axonframework.modelling.saga.repository.jpa"
        })
@EnableJpaRepositories(basePackages = "io.matchledger.projections")
public class LedgerApplication {

    static {
        // Axon's update checker reads a JVM property, not a Spring one; the ledger never phones home.
        if (System.getProperty("axoniq.update-checker.disabled") == null) {
            System.setProperty("axoniq.update-checker.disabled", "true");
        }
    }

    public static void main(String[] args) {
        SpringApplication.run(LedgerApplication.class, args);
    }
}
