package io.matchledger.projections.lifecycle;

import io.matchledger.projections.Rebuildable;
import io.matchledger.projections.TableSet;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The secondary indexes of a rebuild's twin tables that its writes never read ({@link Rebuildable#indexesBuiltLast()}):
 * dropped while the twins fill, and built once, from the filled table, before the twins are swapped in. A row inserted
 * into a table with four B-trees is placed four times, each at a random place (docs/performance.md, "Rebuilds at store
 * speed"); an index built afterwards sorts once.
 * <p>
 * An index's columns come from the live table's (the catalog, through JDBC's {@link DatabaseMetaData#getIndexInfo}, the
 * same for both databases), and its name is the one of the pair ({@code ledger_entry_matches},
 * {@code ledger_entry_rebuild_matches}) the live table does not use: the names travel with the tables at each swap. A
 * kill between the drop and the build leaves a twin without the index, which nobody reads and the next rebuild builds.
 */
final class TwinIndexes {

    private final JdbcTemplate jdbc;
    private final String liveTable;
    private final String twinTable;
    private final List<Pair> pairs;

    /** One index by its two names: as the migrations made it on the live table, and on the twin. */
    record Pair(String live, String twin) {}

    private TwinIndexes(JdbcTemplate jdbc, String table, List<Pair> pairs) {
        this.jdbc = jdbc;
        this.liveTable = TableSet.LIVE.of(table);
        this.twinTable = TableSet.REBUILD.of(table);
        this.pairs = pairs;
    }

    /** The indexes built last of each of the projection's tables. */
    static List<TwinIndexes> of(JdbcTemplate jdbc, Rebuildable projection) {
        return of(jdbc, projection.indexesBuiltLast());
    }

    /** The indexes built last, by live table, as {@link Rebuildable#indexesBuiltLast()} names them. */
    static List<TwinIndexes> of(JdbcTemplate jdbc, Map<String, List<String>> builtLast) {
        List<TwinIndexes> all = new ArrayList<>();
        builtLast.forEach((table, indexes) -> all.add(new TwinIndexes(
                jdbc,
                table,
                indexes.stream()
                        .map(index -> new Pair(index, twinName(table, index)))
                        .toList())));
        return all;
    }

    /** {@code ledger_entry_matches} on {@code ledger_entry} is {@code ledger_entry_rebuild_matches} on its twin. */
    static String twinName(String table, String liveIndex) {
        if (!liveIndex.startsWith(table + "_")) {
            throw new IllegalArgumentException("index " + liveIndex + " is not named after its table " + table);
        }
        return TableSet.REBUILD.of(table) + liveIndex.substring(table.length());
    }

    /** Drops the twin's copy of each index (whichever of its two names it has). */
    void drop() {
        Map<String, List<String>> onTwin = indexes(twinTable);
        for (Pair pair : pairs) {
            for (String name : List.of(pair.live(), pair.twin())) {
                if (onTwin.containsKey(name)) {
                    jdbc.execute("drop index if exists " + name);
                }
            }
        }
    }

    /** Builds each index on the twin that it lacks, with the live table's columns. */
    void build() {
        Map<String, List<String>> onLive = indexes(liveTable);
        Map<String, List<String>> onTwin = indexes(twinTable);
        for (Pair pair : pairs) {
            if (onTwin.containsKey(pair.live()) || onTwin.containsKey(pair.twin())) {
                continue;
            }
            String liveName = onLive.containsKey(pair.live()) ? pair.live() : pair.twin();
            List<String> columns = Optional.ofNullable(onLive.get(liveName))
                    .orElseThrow(() -> new IllegalStateException(
                            "the live table " + liveTable + " has no index " + pair.live() + " nor " + pair.twin()));
            String twinName = liveName.equals(pair.live()) ? pair.twin() : pair.live();
            jdbc.execute("create index if not exists " + twinName + " on " + twinTable + " ("
                    + String.join(", ", columns) + ")");
        }
    }

    /** The table's non-unique indexes: name (lower case) to columns, each with {@code desc} where it descends. */
    private Map<String, List<String>> indexes(String table) {
        return jdbc.execute((Connection connection) -> {
            DatabaseMetaData meta = connection.getMetaData();
            String stored =
                    meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table.toLowerCase(Locale.ROOT);
            Map<String, List<String>> byName = new LinkedHashMap<>();
            try (ResultSet rows =
                    meta.getIndexInfo(connection.getCatalog(), connection.getSchema(), stored, false, true)) {
                while (rows.next()) {
                    String name = rows.getString("INDEX_NAME");
                    String column = rows.getString("COLUMN_NAME");
                    if (name == null || column == null || !rows.getBoolean("NON_UNIQUE")) {
                        continue; // statistics rows, and the primary key
                    }
                    // JDBC lists an index's columns in order (by name, then ordinal position).
                    byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>())
                            .add(column.toLowerCase(Locale.ROOT)
                                    + ("D".equals(rows.getString("ASC_OR_DESC")) ? " desc" : ""));
                }
            }
            return byName;
        });
    }
}
