package io.matchledger.projections.lifecycle;

import io.matchledger.projections.TableSet;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The swap of a rebuild (ADR 0012, 0016): a projection's twins, holding the rebuilt model, take the live tables' names,
 * and the live tables the twins'. Renames, no rows copied. The caller runs the steps in one transaction: on PostgreSQL
 * they are atomic, but H2 commits each rename on its own, so a kill can stop the swap between any two steps. Each
 * state that leaves says how far the swap got, and {@link InterruptedSwaps} finishes or undoes it at the next start:
 * <ol>
 *   <li><b>begin</b>: a row in {@code read_model_swap} names the projection and its tables, not yet decided;
 *   <li><b>park</b> each twin as {@code <table>_next};
 *   <li><b>decide</b>: the live tokens are stored and the row marked decided, one transaction of plain writes (H2
 *       commits it with the next rename): from here the rebuilt model is the one to keep, before it the live one;
 *   <li><b>retire</b> each live table as {@code <table>_old}; <b>install</b> each {@code _next} as the live table;
 *       <b>return</b> each {@code _old} as the twin;
 *   <li><b>end</b>: the row goes.
 * </ol>
 * Phases run table by table, so that a table's name alone never tells which model it holds: the row and the phase
 * names do. Three renames per table in place (live to parked, twin to live, parked to twin) left a projection with
 * some tables swapped and others not, indistinguishable from a finished swap.
 */
public final class TableSwap {

    /** Where a swap under way is written down; created by migration V8. */
    public static final String SWAPS = "read_model_swap";

    static final String NEXT = "_next";
    static final String OLD = "_old";

    /** One step: a rename or a write, each committed on its own on H2. */
    public record Step(String name, Runnable action) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final JdbcTemplate jdbc;
    private final String processingGroup;
    private final List<String> tables;

    /** The swap of {@code processingGroup}'s live {@code tables} (parents first) with their twins. */
    public TableSwap(JdbcTemplate jdbc, String processingGroup, List<String> tables) {
        this.jdbc = jdbc;
        this.processingGroup = processingGroup;
        this.tables = List.copyOf(tables);
    }

    /** Runs every step; the caller's transaction makes them one on PostgreSQL. */
    public void run(Runnable storeTokens) {
        steps(storeTokens).forEach(step -> step.action().run());
    }

    /**
     * The steps in their order; {@code storeTokens} is the decision's write of the live tokens, which must reach the
     * connection when it returns (not wait for a flush at commit), so that it commits with the row's mark.
     */
    public List<Step> steps(Runnable storeTokens) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(
                "begin",
                () -> jdbc.update(
                        "insert into " + SWAPS + " (processing_group, tables, decided) values (?, ?, false)",
                        processingGroup,
                        String.join(",", tables))));
        tables.forEach(table -> steps.add(rename("park", TableSet.REBUILD.of(table), table + NEXT)));
        steps.add(new Step("decide", () -> {
            storeTokens.run();
            int marked =
                    jdbc.update("update " + SWAPS + " set decided = true where processing_group = ?", processingGroup);
            if (marked != 1) {
                throw new IllegalStateException("no swap of " + processingGroup + " under way to decide");
            }
        }));
        tables.forEach(table -> steps.add(rename("retire", table, table + OLD)));
        tables.forEach(table -> steps.add(rename("install", table + NEXT, table)));
        tables.forEach(table -> steps.add(rename("return", table + OLD, TableSet.REBUILD.of(table))));
        steps.add(new Step(
                "end", () -> jdbc.update("delete from " + SWAPS + " where processing_group = ?", processingGroup)));
        return steps;
    }

    private Step rename(String phase, String from, String to) {
        return new Step(phase + " " + from + " as " + to, () -> jdbc.execute(renameSql(from, to)));
    }

    /**
     * The decision's write, as a rebuild makes it: each live segment's token stored again, which claims the segment
     * (it fails if another process holds it). Axon's JPA token store may change a
     * managed entry, which Hibernate would write only at the commit (on H2 after every rename): it is flushed here, so
     * that it commits with the decision's mark.
     */
    public static Runnable storing(
            TokenStore tokenStore,
            EntityManager entityManager,
            String processorName,
            Map<Integer, TokenStoreView.StoredToken> liveTokens) {
        return () -> {
            liveTokens
                    .values()
                    .forEach(stored -> tokenStore.storeToken(stored.token(), processorName, stored.segment()));
            entityManager.flush();
        };
    }

    static String renameSql(String from, String to) {
        return "alter table " + from + " rename to " + to;
    }
}
