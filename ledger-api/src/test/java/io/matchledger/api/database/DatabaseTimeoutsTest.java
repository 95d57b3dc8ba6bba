package io.matchledger.api.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.zaxxer.hikari.HikariDataSource;
import io.matchledger.api.SilentProxy;
import io.matchledger.core.JitteredRetryScheduler;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The timeouts of {@code ledger.database} as a real PostgreSQL sees them on the pool's connections, what they do to a
 * statement that the database does not answer (behind a {@link SilentProxy}), that runs too long or that waits too
 * long for a lock, and that Flyway's connection has none. Needs the database
 * of {@code LEDGER_IT_PG_URL} (as {@code ThreeProcessesOnPostgresIT}); without it the PostgreSQL cases are skipped,
 * except in CI, where that is a failure.
 */
class DatabaseTimeoutsTest {

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withUserConfiguration(DatabaseTimeouts.class);

    @Test
    void everyPooledConnectionCarriesTheTimeouts() {
        service.withPropertyValues(postgres()).run(context -> {
            try (Connection connection = context.getBean(DataSource.class).getConnection();
                    Statement sql = connection.createStatement()) {
                // DatabaseSettings's defaults.
                assertThat(connection.getNetworkTimeout()).isEqualTo(5_000);
                assertThat(show(sql, "statement_timeout")).isEqualTo("4s");
                assertThat(show(sql, "lock_timeout")).isEqualTo("3s");
                assertThat(show(sql, "idle_in_transaction_session_timeout")).isEqualTo("10s");
            }
        });
    }

    @Test
    void aStatementTheDatabaseDoesNotAnswerGivesUpItsConnection() throws Exception {
        String[] database = postgres();
        String url = database[0].substring(database[0].indexOf('=') + 1);
        try (SilentProxy proxy = new SilentProxy(url)) {
            service.withPropertyValues(database)
                    .withPropertyValues(
                            "spring.datasource.url=" + proxy.through(url),
                            "ledger.database.socket-timeout=1s",
                            "ledger.database.statement-timeout=500ms")
                    .run(context -> {
                        try (Connection connection =
                                        context.getBean(DataSource.class).getConnection();
                                Statement sql = connection.createStatement()) {
                            proxy.silence();
                            // Given up by the client: an I/O error over the socket's own timeout.
                            assertThatThrownBy(() -> sql.execute("select 1"))
                                    .isInstanceOf(SQLException.class)
                                    .hasRootCauseInstanceOf(SocketTimeoutException.class)
                                    .satisfies(failure -> {
                                        assertThat(((SQLException) failure).getSQLState())
                                                .startsWith("08");
                                        assertThat(JitteredRetryScheduler.waitedInVain(failure))
                                                .isTrue();
                                    });
                            assertThat(connection.isClosed()).isTrue();
                        } finally {
                            proxy.resume();
                        }
                    });
        }
    }

    @Test
    void aStatementTheServerIsSlowAtIsCancelledOnAConnectionThatSurvives() {
        service.withPropertyValues(postgres())
                .withPropertyValues("ledger.database.statement-timeout=300ms")
                .run(context -> {
                    try (Connection connection =
                                    context.getBean(DataSource.class).getConnection();
                            Statement sql = connection.createStatement()) {
                        assertThatThrownBy(() -> sql.execute("select pg_sleep(3)"))
                                .isInstanceOf(SQLException.class)
                                .satisfies(failure -> assertThat(((SQLException) failure).getSQLState())
                                        .isEqualTo("57014"));
                        assertThat(connection.isValid(1)).isTrue();
                    }
                });
    }

    @Test
    void aStatementThatWaitsTooLongForALockIsRefused() {
        service.withPropertyValues(postgres())
                .withPropertyValues("ledger.database.lock-timeout=300ms")
                .run(context -> {
                    DataSource pool = context.getBean(DataSource.class);
                    try (Connection holder = pool.getConnection();
                            Connection waiter = pool.getConnection();
                            Statement held = holder.createStatement();
                            Statement waiting = waiter.createStatement()) {
                        holder.setAutoCommit(false);
                        held.execute("select pg_advisory_xact_lock(24)");
                        assertThatThrownBy(() -> waiting.execute("select pg_advisory_lock(24)"))
                                .isInstanceOf(SQLException.class)
                                .satisfies(failure -> assertThat(((SQLException) failure).getSQLState())
                                        .isEqualTo("55P03"));
                        holder.rollback();
                        // The connection that was refused is still good.
                        assertThat(waiter.isValid(1)).isTrue();
                    }
                });
    }

    @Test
    void migrationsRunOnAConnectionWithoutTheTimeouts() {
        service.withPropertyValues(postgres()).run(context -> {
            FluentConfiguration flyway = Flyway.configure().dataSource(context.getBean(DataSource.class));
            context.getBean(FlywayConfigurationCustomizer.class).customize(flyway);
            assertThat(flyway.getDataSource()).isNotInstanceOf(HikariDataSource.class);
            try (Connection connection = flyway.getDataSource().getConnection();
                    Statement sql = connection.createStatement()) {
                assertThat(connection.getNetworkTimeout()).isZero();
                assertThat(show(sql, "statement_timeout")).isEqualTo("0");
                assertThat(show(sql, "lock_timeout")).isEqualTo("0");
            }
        });
    }

    @Test
    void anEmbeddedH2IsLeftAsItIs() {
        service.withPropertyValues("spring.datasource.url=jdbc:h2:mem:timeouts").run(context -> {
            HikariDataSource pool = context.getBean(HikariDataSource.class);
            assertThat(pool.getDataSourceProperties()).doesNotContainKeys("socketTimeout", "options");
            FluentConfiguration flyway = Flyway.configure().dataSource(pool);
            context.getBean(FlywayConfigurationCustomizer.class).customize(flyway);
            assertThat(flyway.getDataSource()).isSameAs(pool);
        });
    }

    @Test
    void settingsThatTheDriverCannotTakeAreRefusedAtStart() {
        service.withPropertyValues("spring.datasource.url=jdbc:h2:mem:refused", "ledger.database.socket-timeout=1500ms")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("whole seconds"));
        service.withPropertyValues("spring.datasource.url=jdbc:h2:mem:refused", "ledger.database.health-timeout=0s")
                .run(context -> assertThat(context).hasFailed());
        service.withPropertyValues("spring.datasource.url=jdbc:h2:mem:refused", "ledger.database.statement-timeout=5s")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("below socket-timeout"));
    }

    /** The test database's coordinates as properties; skips the test without one (fails in CI). */
    private static String[] postgres() {
        String url = System.getenv("LEDGER_IT_PG_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(url).as("CI must provide LEDGER_IT_PG_URL (see .ci/run)").isNotBlank();
        }
        assumeThat(url).as("LEDGER_IT_PG_URL not set: no PostgreSQL").isNotBlank();
        return new String[] {
            "spring.datasource.url=" + url,
            "spring.datasource.username=" + System.getenv().getOrDefault("LEDGER_IT_PG_USER", "ledger"),
            "spring.datasource.password=" + System.getenv().getOrDefault("LEDGER_IT_PG_PASSWORD", "")
        };
    }

    private static String show(Statement sql, String setting) throws SQLException {
        try (ResultSet row = sql.executeQuery("show " + setting)) {
            row.next();
            return row.getString(1);
        }
    }
}
