package io.matchledger.projections.lifecycle;

/**
 * Where a projection stands. {@code position} is the global index of the last event it processed, {@code head} the
 * newest in the event store; {@code lagSeconds} is the age of the oldest event it has not processed yet (0 when caught
 * up). {@code rebuilding} while a rebuild is under way, and {@code rebuildPosition} is the global index it has reached
 * (0 otherwise). A rebuild in memory leaves the model live and whole until it swaps the new one in; while
 * {@code replaying}, the projection is being rebuilt by its processor and answers from a partly rebuilt model.
 * {@code state} says whether it runs, and {@code error} and {@code failingAt} (the global index of the event its
 * handlers failed on) are set while it is {@link ProjectionState#FAILING}.
 */
public record ProjectionStatus(
        String name,
        long position,
        long head,
        long lagEvents,
        long lagSeconds,
        boolean replaying,
        boolean rebuilding,
        long rebuildPosition,
        ProjectionState state,
        String error,
        Long failingAt) {}
