package io.matchledger.api.config;

/**
 * The appends to the event store that have taken global indexes and not yet ended: the evidence on which a missing
 * global index is declared final (ADR 0014). An append takes its indexes inside its INSERT and makes them visible when
 * its transaction commits, which may be any time later (a frozen process, a commit waiting on a synchronous standby).
 * A missing index below one that is visible was taken by an append that was in flight when the gap was seen, or by
 * none that can still commit; so once every append in flight at that moment has ended, a read that still lacks the
 * index proves it will never be filled. No clock decides it.
 */
public interface InFlightAppends {

    /** A mark of the appends in flight when it was taken. */
    interface Fence {}

    /** Held by one append of this process from before its rows take their indexes until its transaction ended. */
    interface Ticket {
        void ended();
    }

    /** Marks the appends in flight now. */
    Fence fence();

    /** Whether every append that was in flight when {@code fence} was taken has ended, committed or rolled back. */
    boolean passed(Fence fence);

    /** Called by the storage engine before an append of this process takes its indexes. */
    Ticket begin();

    /** How many appends are in flight now, as far as this evidence knows (for metrics and tests). */
    int inFlight();
}
