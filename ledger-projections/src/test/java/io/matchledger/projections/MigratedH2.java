package io.matchledger.projections;

import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A database of its own for a test without Spring: an in-memory H2 migrated by the module's own migrations, as the
 * service's schema is made, with a transaction manager over it. A fraction of a second, where a Spring context of the
 * slice takes seconds; each connection is a session of its own, so threads of a test are writers of their own.
 */
public final class MigratedH2 {

    public final DataSource dataSource;
    public final JdbcTemplate jdbc;
    public final PlatformTransactionManager transactions;

    private MigratedH2(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new DataSourceTransactionManager(dataSource);
    }

    public static MigratedH2 fresh() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/h2")
                .load()
                .migrate();
        return new MigratedH2(dataSource);
    }
}
