package io.matchledger.projections;

import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
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

    private JpaRepositoryFactory repositories;

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

    /** Axon's JDBC token store over the service's {@code token_entry}, claiming as this process (Axon's default). */
    public JdbcTokenStore tokenStore(Serializer serializer) {
        return tokenStores(serializer).build();
    }

    /** As {@link #tokenStore(Serializer)}, claiming as the process {@code nodeId}. */
    public JdbcTokenStore tokenStore(Serializer serializer, String nodeId) {
        return tokenStores(serializer).nodeId(nodeId).build();
    }

    private JdbcTokenStore.Builder tokenStores(Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(new DataSourceConnectionProvider(dataSource))
                .serializer(serializer)
                .contentType(byte[].class)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build());
    }

    /**
     * A Spring Data repository of the module's entities over this database, as the service has it but without a
     * context: Hibernate (validating the entities against the migrated schema, with Spring Boot's column naming) and
     * an entity manager shared as Spring shares it, a fresh one per call outside a transaction, so each read sees
     * what was committed. Hibernate starts once per database, in about a second.
     */
    public synchronized <R> R repository(Class<R> type) {
        if (repositories == null) {
            LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
            factory.setDataSource(dataSource);
            factory.setPackagesToScan("io.matchledger.projections");
            factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
            factory.setJpaPropertyMap(Map.of(
                    "hibernate.hbm2ddl.auto",
                    "validate",
                    "hibernate.physical_naming_strategy",
                    CamelCaseToUnderscoresNamingStrategy.class.getName()));
            factory.afterPropertiesSet();
            EntityManager shared = SharedEntityManagerCreator.createSharedEntityManager(factory.getObject());
            repositories = new JpaRepositoryFactory(shared);
        }
        return repositories.getRepository(type);
    }
}
