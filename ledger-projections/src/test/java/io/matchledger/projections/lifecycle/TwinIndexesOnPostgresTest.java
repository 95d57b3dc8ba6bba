package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.projections.GivenPostgres;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * {@link TwinIndexes} on PostgreSQL, whose catalog and case differ from H2's: the history's twin loses the two indexes
 * its rebuild never reads and gets them back as the live table has them, in a schema of its own in the database of
 * {@code LEDGER_IT_PG_URL} (CI provides it; without it, skipped).
 */
class TwinIndexesOnPostgresTest {

    static final String SCHEMA = "twin_indexes";
    static final Map<String, List<String>> HISTORY =
            Map.of("ledger_entry", List.of("ledger_entry_matches", "ledger_entry_as_of"));

    SingleConnectionDataSource dataSource;
    JdbcTemplate jdbc;

    @BeforeEach
    void migratedSchema() {
        GivenPostgres given = GivenPostgres.orSkip().inSchema(SCHEMA);
        dataSource = new SingleConnectionDataSource(given.url(), given.user(), given.password(), true);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("drop schema if exists " + SCHEMA + " cascade");
        jdbc.execute("create schema " + SCHEMA);
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .locations("classpath:db/migration/postgresql")
                .load()
                .migrate();
    }

    @AfterEach
    void dropTheSchema() {
        if (jdbc != null) {
            jdbc.execute("drop schema if exists " + SCHEMA + " cascade");
            dataSource.destroy();
        }
    }

    @Test
    void theTwinLosesTheIndexesBuiltLastAndGetsTheLiveTablesBack() {
        List<String> live = definitions("ledger_entry");
        assertThat(live).hasSize(4).anyMatch(index -> index.contains("(player_id, match_number desc)"));
        List<TwinIndexes> builtLast = TwinIndexes.of(jdbc, HISTORY);

        builtLast.forEach(TwinIndexes::drop);
        assertThat(names("ledger_entry_rebuild"))
                .doesNotContain("ledger_entry_rebuild_matches", "ledger_entry_rebuild_as_of")
                .contains("ledger_entry_rebuild_match_id");

        builtLast.forEach(TwinIndexes::build);
        assertThat(definitions("ledger_entry_rebuild")).isEqualTo(live);
        assertThat(names("ledger_entry_rebuild"))
                .contains("ledger_entry_rebuild_matches", "ledger_entry_rebuild_as_of");
    }

    /** Each index's definition without its name and table: what it orders, and how. */
    private List<String> definitions(String table) {
        return jdbc.queryForList(
                "select regexp_replace(lower(indexdef), '^.* using ', '') from pg_indexes "
                        + "where schemaname = ? and tablename = ? order by 1",
                String.class,
                SCHEMA,
                table);
    }

    private List<String> names(String table) {
        return jdbc.queryForList(
                "select indexname from pg_indexes where schemaname = ? and tablename = ?", String.class, SCHEMA, table);
    }
}
