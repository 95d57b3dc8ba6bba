package io.matchledger.api.config;

import io.matchledger.core.personal.PersonalData;
import io.matchledger.core.personal.PlayerKeys;
import io.matchledger.projections.personal.PlayerKeyTable;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The players' keys and what seals their names with them (ADR 0019). The keys are in the ledger's database, reached
 * through the transaction of whoever asks: a command's unit of work, a projection's batch.
 */
@Configuration(proxyBeanMethods = false)
public class PersonalDataConfiguration {

    @Bean
    public PlayerKeys playerKeys(DataSource dataSource) {
        return new PlayerKeyTable(dataSource);
    }

    /** A Spring bean: the Player's command handlers take it as a parameter, the standings projection by injection. */
    @Bean
    public PersonalData personalData(PlayerKeys playerKeys) {
        return new PersonalData(playerKeys);
    }
}
