package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.lifecycle.SegmentBalancer;
import io.matchledger.projections.lifecycle.TableSwap;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The schema the migrations make, on a migrated H2 without Spring (MigratedH2): each table a projection names for its
 * rebuild has a twin with the same columns, or a rebuild would copy the wrong rows over it.
 */
public class ReadModelSchemaTest {

    static MigratedH2 db;

    final JdbcTemplate jdbc = db.jdbc;
    final List<Rebuildable> projections;

    {
        ObjectProvider<EventStore> noStore = new StaticListableBeanFactory().getBeanProvider(EventStore.class);
        projections = List.of(
                new StandingsProjection(db.dataSource, new PersonalData(new PlayerKeyTable(db.dataSource)), noStore),
                new MatchesProjection(db.dataSource, noStore),
                new HistoryProjection(db.dataSource, noStore));
    }

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    @Test
    void theEntitiesFitTheSchema() {
        // Hibernate validates every entity of the module against the migrated tables as it starts.
        assertThat(db.repository(LedgerEntryRepository.class).count()).isZero();
    }

    @Test
    void everyRebuiltTableHasATwinWithTheSameColumns() {
        List<String> tables =
                projections.stream().flatMap(p -> p.tables().stream()).toList();
        assertThat(tables)
                .containsExactlyInAnyOrder(
                        "player_standing",
                        "points_tally",
                        "match_record",
                        "player_history",
                        "ledger_entry",
                        "season",
                        "season_standing",
                        "season_tally");
        // The primary key, three indexes and two checks: the comparison below compares something.
        assertThat(indexes("ledger_entry"))
                .hasSize(6)
                .anyMatch(index -> index.startsWith("player_id ASC, match_number"));
        for (String table : tables) {
            assertThat(columns(TableSet.REBUILD.of(table))).as(table).isEqualTo(columns(table));
            assertThat(indexes(TableSet.REBUILD.of(table))).as(table).isEqualTo(indexes(table));
        }
    }

    /**
     * The twin takes the live table's place at a rebuild's swap: it needs the same indexes (columns and their order;
     * the names travel with the tables) and the same checks.
     */
    private Set<String> indexes(String table) {
        return indexesAndChecks(jdbc, table);
    }

    /** A table's indexes (each as its columns and their order, without its name) and checks, on H2. */
    public static Set<String> indexesAndChecks(JdbcTemplate jdbc, String table) {
        Set<String> indexes = new TreeSet<>(jdbc.queryForList("""
                select listagg(lower(c.column_name) || ' ' || c.ordering_specification, ', ')
                       within group (order by c.ordinal_position)
                from information_schema.index_columns c
                where lower(c.table_name) = ?
                group by c.index_name""", String.class, table));
        indexes.addAll(jdbc.queryForList("""
                select regexp_replace(lower(k.check_clause), '\\s', '') from information_schema.check_constraints k
                join information_schema.table_constraints t on t.constraint_name = k.constraint_name
                where lower(t.table_name) = ?""", String.class, table));
        return indexes;
    }

    /** A rebuild drops and builds again the indexes a projection names: each must be one of its live table's. */
    @Test
    void everyIndexARebuildBuildsLastIsAnIndexOfTheProjectionsLiveTable() {
        assertThat(projections)
                .extracting(Rebuildable::name)
                .containsExactly(StandingsProjection.NAME, MatchesProjection.NAME, HistoryProjection.NAME)
                .containsExactly("standings", "matches", "history");
        int named = 0;
        for (Rebuildable projection : projections) {
            for (Map.Entry<String, List<String>> table :
                    projection.indexesBuiltLast().entrySet()) {
                assertThat(projection.tables()).contains(table.getKey());
                assertThat(jdbc.queryForList(
                                "select lower(index_name) from information_schema.indexes where lower(table_name) = ?",
                                String.class,
                                table.getKey()))
                        .as(table.getKey())
                        .containsAll(table.getValue());
                named += table.getValue().size();
            }
        }
        assertThat(named)
                .as("the standings' leaderboard order and the history's two")
                .isEqualTo(3);
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
                        .filter(table -> !AXON_TABLES.contains(table))
                        .filter(table -> !table.equals(TableSwap.SWAPS))
                        .filter(table -> !table.equals(SegmentBalancer.NODES))
                        // The webhooks' queue and their processor's state: no read model, never rebuilt (ADR 0017).
                        .filter(table -> !table.startsWith("webhook_")))
                .as("a read-model table no projection rebuilds")
                .isEmpty();
    }

    /** Axon's tables, Flyway's, and the players' keys (ADR 0019): the write side's, which no rebuild touches. */
    static final List<String> AXON_TABLES = List.of(
            "association_value_entry",
            "domain_event_entry",
            "saga_entry",
            "snapshot_event_entry",
            "token_entry",
            "flyway_schema_history",
            "player_key");

    private List<Map<String, Object>> columns(String table) {
        return jdbc.queryForList(
                "select lower(column_name) as name, data_type, is_nullable, character_maximum_length "
                        + "from information_schema.columns where lower(table_name) = ? order by column_name",
                table);
    }
}
