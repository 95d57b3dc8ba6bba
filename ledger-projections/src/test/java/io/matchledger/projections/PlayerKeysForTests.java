package io.matchledger.projections;

import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.personal.PlayerKeyTable;
import javax.sql.DataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The players' keys in the slice's own database ({@code player_key}, V12), as the service wires them. */
@TestConfiguration(proxyBeanMethods = false)
public class PlayerKeysForTests {

    @Bean
    PersonalData personalData(DataSource dataSource) {
        return new PersonalData(new PlayerKeyTable(dataSource));
    }
}
