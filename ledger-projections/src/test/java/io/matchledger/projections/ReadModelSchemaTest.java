package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.orm.jpa.DataJpaTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The schema the migrations make (Hibernate validates the entities against it as this slice starts): each table a
 * projection names for its rebuild has a twin with the same columns, or a rebuild would copy the wrong rows over it.
 */
@DataJpaTest(showSql = false)
@Import({StandingsProjection.class, MatchesProjection.class, HistoryProjection.class})
class ReadModelSchemaTest {

    @Autowired
    List<Rebuildable> projections;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyRebuiltTableHasATwinWithTheSameColumns() {
        List<String> tables =
                projections.stream().flatMap(p -> p.tables().stream()).toList();
        assertThat(tables)
                .containsExactlyInAnyOrder(
                        "player_standing", "points_tally", "match_record", "player_history", "ledger_entry");
        for (String table : tables) {
            assertThat(columns(TableSet.REBUILD.of(table))).as(table).isEqualTo(columns(table));
        }
    }

    @Test
    void everyReadModelTableIsRebuiltByOneProjection() {
        List<String> inTheSchema = jdbc.queryForList(
                "select lower(table_name) from information_schema.tables where table_schema = 'PUBLIC'", String.class);
        List<String> rebuilt = projections.stream()
                .flatMap(p -> p.tables().stream())
                .flatMap(table -> Stream.of(table, TableSet.REBUILD.of(table)))
                .toList();
        assertThat(inTheSchema).containsAll(rebuilt);
        assertThat(inTheSchema.stream()
                        .filter(table -> !rebuilt.contains(table))
                        .filter(table -> !AXON_TABLES.contains(table)))
                .as("a read-model table no projection rebuilds")
                .isEmpty();
    }

    static final List<String> AXON_TABLES = List.of(
            "association_value_entry",
            "domain_event_entry",
            "saga_entry",
            "snapshot_event_entry",
            "token_entry",
            "flyway_schema_history");

    private List<Map<String, Object>> columns(String table) {
        return jdbc.queryForList(
                "select lower(column_name) as name, data_type, is_nullable, character_maximum_length "
                        + "from information_schema.columns where lower(table_name) = ? order by column_name",
                table);
    }
}
