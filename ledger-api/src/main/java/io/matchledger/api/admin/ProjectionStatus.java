package io.matchledger.api.admin;

/**
 * Where a projection stands. {@code position} is the global index of the last event it processed, {@code head} the
 * newest in the event store; {@code lagSeconds} is the age of the oldest event it has not processed yet (0 when caught
 * up). While {@code replaying}, the projection is being rebuilt and answers from a partly rebuilt model.
 */
public record ProjectionStatus(String name,
                               long position,
                               long head,
                               long lagEvents,
                               long lagSeconds,
                               boolean replaying) {
}
