package io.matchledger.projections.lifecycle;

import io.matchledger.projections.TableSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * Finishes, at start-up, a rebuild's swap that a kill cut off ({@link TableSwap}; ADR 0016). It runs as Flyway
 * begins to migrate: before a migration could touch a table under a swap's name, before Hibernate checks the tables
 * and before any processor or reader starts. A swap whose decision committed is finished (the stored tokens belong to
 * the rebuilt model), any other is undone (the live model and its tokens were never touched); either way the twins
 * are emptied and the rebuild's token forgotten, as after a rebuild. Each step is a rename or a write that is checked
 * before it is made, so a kill during the recovery leaves a state it finishes at the next start.
 * <p>
 * Only H2 can leave such a state: on PostgreSQL the swap is one transaction, and this finds nothing.
 */
@Component
public class InterruptedSwaps extends BaseCallback {

    private static final Logger log = LoggerFactory.getLogger(InterruptedSwaps.class);
    /** The parked name of the swap this replaced (three renames per table in place), still recognised. */
    static final String LEGACY_PARKED = "_swapping";

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        recover(new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true)));
    }

    @Override
    public String getCallbackName() {
        return "interrupted read-model swaps";
    }

    /** A swap found cut off: its projection (for a swap of an earlier version, its table), and how it ended. */
    public record Recovered(String processingGroup, boolean finished) {}

    /** Finishes or undoes every interrupted swap, and says what it found. */
    public static List<Recovered> recover(JdbcTemplate jdbc) {
        Tables tables = new Tables(jdbc);
        List<Recovered> found = new ArrayList<>(recoverLegacy(jdbc, tables));
        if (!tables.exists(TableSwap.SWAPS)) {
            return found; // a store from before V8: no swap of this kind can have begun
        }
        List<Swap> swaps = jdbc.query(
                "select processing_group, tables, decided from " + TableSwap.SWAPS,
                (row, n) -> new Swap(
                        row.getString(1), Arrays.asList(row.getString(2).split(",")), row.getBoolean(3)));
        for (Swap swap : swaps) {
            if (swap.decided()) {
                swap.tables().forEach(table -> finish(tables, swap, table));
            } else {
                swap.tables().forEach(table -> undo(tables, swap, table));
            }
            swap.tables().forEach(table -> returnTwin(tables, swap, table));
            emptyTwins(jdbc, swap.processingGroup(), swap.tables());
            jdbc.update("delete from " + TableSwap.SWAPS + " where processing_group = ?", swap.processingGroup());
            log.warn(
                    "The swap of projection {} was cut off; {}",
                    swap.processingGroup(),
                    swap.decided() ? "finished: the rebuilt model is live" : "undone: the live model stays");
            found.add(new Recovered(swap.processingGroup(), swap.decided()));
        }
        return found;
    }

    /** Decided: the parked twin becomes the live table (the old one, if still live, retired first). */
    private static void finish(Tables tables, Swap swap, String table) {
        if (tables.exists(table + TableSwap.NEXT)) {
            if (tables.exists(table)) {
                tables.rename(table, table + TableSwap.OLD, swap);
            }
            tables.rename(table + TableSwap.NEXT, table, swap);
        }
    }

    /** Not decided: nothing was retired; a parked twin goes back to its name. */
    private static void undo(Tables tables, Swap swap, String table) {
        if (tables.exists(table + TableSwap.NEXT)) {
            tables.rename(table + TableSwap.NEXT, TableSet.REBUILD.of(table), swap);
        }
    }

    /** A retired table becomes the twin; then the table and its twin must both be there, and nothing else. */
    private static void returnTwin(Tables tables, Swap swap, String table) {
        String twin = TableSet.REBUILD.of(table);
        if (tables.exists(table + TableSwap.OLD)) {
            tables.rename(table + TableSwap.OLD, twin, swap);
        }
        if (!tables.exists(table)
                || !tables.exists(twin)
                || tables.exists(table + TableSwap.NEXT)
                || tables.exists(table + TableSwap.OLD)) {
            throw new IllegalStateException("cannot recover the swap of projection " + swap.processingGroup()
                    + " (decided: " + swap.decided() + "): the tables named " + table + "* are "
                    + tables.named(table) + ", a state no step of a swap leaves (ADR 0016)");
        }
    }

    /**
     * The swap before this one renamed each table in place (live to {@code _swapping}, twin to live, {@code
     * _swapping} to twin), and a kill could leave a table parked. What ADR 0012 told operators to do by hand: the
     * rebuilt model is kept. Tables of the projection already swapped or not yet begun cannot be told apart, so the
     * projection should be rebuilt.
     */
    private static List<Recovered> recoverLegacy(JdbcTemplate jdbc, Tables tables) {
        List<Recovered> found = new ArrayList<>();
        for (String parked : tables.endingWith(LEGACY_PARKED)) {
            String table = parked.substring(0, parked.length() - LEGACY_PARKED.length());
            String twin = TableSet.REBUILD.of(table);
            Swap swap = new Swap("(owning " + table + ")", List.of(table), true);
            if (!tables.exists(table)) {
                tables.rename(twin, table, swap);
            }
            tables.rename(parked, twin, swap);
            jdbc.execute("truncate table " + twin);
            log.warn(
                    "Table {} was left as {} by a swap of an earlier version; its rebuilt rows are kept. Rebuild the "
                            + "projection that owns it to be sure of its other tables",
                    table,
                    parked);
            found.add(new Recovered(table, true));
        }
        return found;
    }

    /**
     * What a rebuild does before it begins and after it ends: the twins emptied (no key refers to another table, so
     * in any order), the rebuild's token forgotten. Not rolled back on H2, and nobody reads the twins: a delete of the
     * history's rows was the slowest step, hence {@code truncate}.
     */
    static void emptyTwins(JdbcTemplate jdbc, String processingGroup, List<String> liveTables) {
        jdbc.update("delete from token_entry where processor_name = ?", processingGroup + TableSet.REBUILD.suffix());
        liveTables.forEach(table -> jdbc.execute("truncate table " + TableSet.REBUILD.of(table)));
    }

    private record Swap(String processingGroup, List<String> tables, boolean decided) {}

    /** The tables of the current schema, by lower-case name (H2 keeps unquoted names in upper case). */
    private static final class Tables {

        private final JdbcTemplate jdbc;
        private final Set<String> names = new HashSet<>();

        Tables(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
            names.addAll(jdbc.queryForList(
                    "select lower(table_name) from information_schema.tables where table_schema = current_schema",
                    String.class));
        }

        boolean exists(String table) {
            return names.contains(table.toLowerCase(Locale.ROOT));
        }

        List<String> endingWith(String suffix) {
            return names.stream().filter(name -> name.endsWith(suffix)).sorted().toList();
        }

        List<String> named(String table) {
            return names.stream()
                    .filter(name -> name.startsWith(table))
                    .sorted()
                    .toList();
        }

        void rename(String from, String to, Swap swap) {
            if (exists(to)) {
                throw new IllegalStateException("cannot recover the swap of projection " + swap.processingGroup() + ": "
                        + from + " is to become " + to + ", which exists (ADR 0016)");
            }
            jdbc.execute(TableSwap.renameSql(from, to));
            names.remove(from.toLowerCase(Locale.ROOT));
            names.add(to.toLowerCase(Locale.ROOT));
        }
    }
}
