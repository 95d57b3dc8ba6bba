package io.matchledger.projections.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A stepwise migration on a plain in-memory H2, without Flyway: each step runs only while its query says it is
 * needed, so a migration cut off after any step and run again from the top finishes without repeating one, and its
 * checksum follows its text. (Every shipped migration cut off after each statement: {@code MigrationCutOffTest}.)
 */
class StepwiseMigrationTest {

    /** Re-keys a table as V6 does: from (a, b) to (b, a). Named as Flyway names a versioned migration. */
    static final class V99__rekey_pair extends StepwiseMigration {
        private final String extra;

        V99__rekey_pair(String extra) {
            this.extra = extra;
        }

        @Override
        public List<Step> steps() {
            return List.of(
                    new Step(primaryKeyIs("PAIR", "A", "B"), "alter table pair drop primary key"),
                    new Step(noPrimaryKey("PAIR"), "alter table pair add primary key (b, a)" + extra));
        }
    }

    Connection connection;
    JdbcTemplate jdbc;

    @BeforeEach
    void pairKeyedByAThenB() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID());
        connection = h2.getConnection();
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
        jdbc.execute("create table pair (a int not null, b int not null, primary key (a, b))");
        jdbc.update("insert into pair values (1, 2), (2, 1)");
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private String key() {
        return jdbc.queryForObject(
                "select coalesce(listagg(k.column_name, ',') within group (order by k.ordinal_position), '') "
                        + "from information_schema.table_constraints c join information_schema.key_column_usage k "
                        + "on k.constraint_name = c.constraint_name where c.table_name = 'PAIR' "
                        + "and c.constraint_type = 'PRIMARY KEY'",
                String.class);
    }

    @Test
    void theWholeMigrationRekeysTheTableAndARunAgainChangesNothing() throws SQLException {
        new V99__rekey_pair("").migrate(connection, 2);
        assertThat(key()).isEqualTo("B,A");

        new V99__rekey_pair("").migrate(connection, 2);
        assertThat(key()).isEqualTo("B,A");
        assertThat(jdbc.queryForObject("select count(*) from pair", Integer.class))
                .isEqualTo(2);
    }

    @Test
    void aMigrationCutOffAfterItsFirstStepIsFinishedByTheNextRunFromTheTop() throws SQLException {
        new V99__rekey_pair("").migrate(connection, 1);
        assertThat(key()).isEmpty();

        new V99__rekey_pair("").migrate(connection, 2);
        assertThat(key()).isEqualTo("B,A");
    }

    @Test
    void noStepIsRunBeforeItsTurn() throws SQLException {
        new V99__rekey_pair("").migrate(connection, 0);
        assertThat(key()).isEqualTo("A,B");
    }

    @Test
    void theChecksumFollowsTheStepsText() {
        assertThat(new V99__rekey_pair("").getChecksum()).isEqualTo(new V99__rekey_pair("").getChecksum());
        assertThat(new V99__rekey_pair(" ").getChecksum()).isNotEqualTo(new V99__rekey_pair("").getChecksum());
    }
}
