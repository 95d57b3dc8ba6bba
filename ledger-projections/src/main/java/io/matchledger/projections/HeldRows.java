package io.matchledger.projections;

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
}
