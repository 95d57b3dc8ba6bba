package io.matchledger.api.positions;

/** How far each read model has got: what {@link MinPosition} waits on, told by the projections' lifecycle. */
public interface ReadModelProgress {

    /**
     * Whether the projection of {@code processingGroup} has committed the event at {@code position} and every event
     * before it that it has seen.
     */
    boolean reached(String processingGroup, long position);
}
