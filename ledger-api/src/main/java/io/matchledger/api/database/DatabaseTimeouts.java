package io.matchledger.api.database;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Puts {@link DatabaseSettings} on the pool's PostgreSQL connections: the driver's socket, connect and login timeouts
 * (a silent database fails a request instead of holding it), TCP keep-alive, and the server's statement, lock and
 * idle-in-transaction timeouts, sent in the startup packet ({@code options}), so no connection is without them and
 * no round trip is spent on them. Without a socket timeout a request whose database stopped answering waited for the
 * operating system to give up on the connection, which on a partition with the connection still open is never.
 * <p>
 * Flyway migrates on a connection of its own, opened from the same URL and account without these timeouts: a
 * migration may build an index of a large table, silent for minutes, and must not be cut off at five seconds; nothing
 * is served before it ends.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseSettings.class)
public class DatabaseTimeouts {

    @Bean
    static BeanPostProcessor databaseTimeoutsOnThePool(ObjectProvider<DatabaseSettings> settings) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && isPostgres(pool.getJdbcUrl())) {
                    Properties driver = new Properties();
                    driver.putAll(pool.getDataSourceProperties());
                    apply(settings.getObject(), driver);
                    driver.forEach((name, value) -> pool.addDataSourceProperty((String) name, value));
                }
                return bean;
            }
        };
    }

    @Bean
    FlywayConfigurationCustomizer migrationsWithoutTimeouts() {
        return flyway -> {
            if (flyway.getDataSource() instanceof HikariDataSource pool && isPostgres(pool.getJdbcUrl())) {
                flyway.dataSource(DataSourceBuilder.derivedFrom(pool)
                        .type(SimpleDriverDataSource.class)
                        .build());
            }
        };
    }

    /** The driver properties (pgjdbc's names) that carry the settings; an {@code options} set already is kept. */
    static void apply(DatabaseSettings settings, Properties driver) {
        driver.setProperty(
                "socketTimeout", Long.toString(settings.socketTimeout().toSeconds()));
        driver.setProperty(
                "connectTimeout", Long.toString(settings.connectTimeout().toSeconds()));
        driver.setProperty(
                "loginTimeout", Long.toString(settings.connectTimeout().toSeconds()));
        // Finds a peer that vanished without a word under an idle pooled connection (after the kernel's keep-alive
        // time); the socket timeout covers a connection in use.
        driver.setProperty("tcpKeepAlive", "true");
        String server = "-c statement_timeout=" + settings.statementTimeout().toMillis()
                + " -c lock_timeout=" + settings.lockTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout="
                + settings.idleInTransactionTimeout().toMillis();
        String given = driver.getProperty("options");
        driver.setProperty("options", given == null || given.isBlank() ? server : given + " " + server);
    }

    static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }
}
