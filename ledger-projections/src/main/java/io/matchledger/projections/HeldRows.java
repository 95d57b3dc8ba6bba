package io.matchledger.projections;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Rows a rebuild's copy of a projection keeps in memory across batches instead of writing them per batch (ADR 0012):
 * a row that many batches change, a player's standing or history count, is written once, by {@link #writeHeld()},
 * instead of read and written back in every batch it appears in. What a batch changed joins the held rows only once
 * that batch has committed, so a batch that fails and runs again cannot apply twice.
 */
public interface HeldRows {

    /** Nothing held: every batch writes its rows to the tables (the live model, and a projection that holds none). */
    HeldRows NONE = new HeldRows() {
        @Override
        public boolean holding() {
            return false;
        }

        @Override
        public boolean full() {
            return false;
        }

        @Override
        public void writeHeld() {}
    };

    /** Whether rows are held that the tables do not have yet. */
    boolean holding();

    /** Whether so many rows are held that they should be written now, and the rest written batch by batch. */
    boolean full();

    /**
     * Writes the held rows into the tables (in the caller's transaction) and stops holding: later batches read and
     * write the tables, as the live model does. Called only while the rebuild's processor is stopped.
     */
    void writeHeld();

    /**
     * Rows held by key (a player's id), at most {@code atMost} of them: what the standings and the histories hold.
     * A batch reads copies ({@link #copyOf}), so what it changes stays its own until {@link #merge} after its commit.
     */
    abstract class ByKey<R> implements HeldRows {

        private final Map<String, R> rows = new HashMap<>();
        private final Function<R, String> key;
        private final int atMost;
        private boolean holding = true;

        protected ByKey(Function<R, String> key, int atMost) {
            this.key = key;
            this.atMost = atMost;
        }

        /** A copy of the row, for a batch to change, which a batch that fails leaves held as it was. */
        protected abstract R copy(R row);

        /** Inserts the rows into the tables, in the caller's transaction. */
        protected abstract void insert(List<R> rows);

        @Override
        public final synchronized boolean holding() {
            return holding;
        }

        @Override
        public final synchronized boolean full() {
            return holding && rows.size() >= atMost;
        }

        /** A copy of the held row; null when there is none. */
        final synchronized R copyOf(String id) {
            R row = rows.get(id);
            return row == null ? null : copy(row);
        }

        /** What a committed batch did: the rows it changed as they now stand, those it forgot gone. */
        final synchronized void merge(Set<String> forgotten, Collection<R> changed) {
            forgotten.forEach(rows::remove);
            changed.forEach(row -> rows.put(key.apply(row), row));
        }

        @Override
        public final synchronized void writeHeld() {
            if (!holding) {
                return;
            }
            insert(List.copyOf(rows.values()));
            rows.clear();
            holding = false;
        }
    }
}
