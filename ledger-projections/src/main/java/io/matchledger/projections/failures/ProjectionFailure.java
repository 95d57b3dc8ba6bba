package io.matchledger.projections.failures;

import java.util.OptionalLong;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;

/**
 * A projection's handler failed on an event. It names the event, so that whoever reads a stopped projection's status
 * learns which event it is stopped at and why, not only that something failed: its handler, its type, its id and,
 * when the event came from the store, its global index (its position in the ledger).
 */
public final class ProjectionFailure extends RuntimeException {

    private final String handler;
    private final String eventType;
    private final String eventId;
    private final Long globalIndex;

    /** {@code handler}: the class whose handler failed, so that the status says which read model stopped the others. */
    ProjectionFailure(EventMessage<?> event, Class<?> handler, Exception cause) {
        super(handler.getSimpleName() + " failed on " + describe(event, cause), cause);
        this.handler = handler.getSimpleName();
        this.eventType = event.getPayloadType().getSimpleName();
        this.eventId = event.getIdentifier();
        this.globalIndex = positionOf(event).stream().boxed().findFirst().orElse(null);
    }

    /** The simple name of the class whose handler failed. */
    public String handler() {
        return handler;
    }

    public String eventType() {
        return eventType;
    }

    public String eventId() {
        return eventId;
    }

    public OptionalLong globalIndex() {
        return globalIndex == null ? OptionalLong.empty() : OptionalLong.of(globalIndex);
    }

    private static OptionalLong positionOf(EventMessage<?> event) {
        return event instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null
                ? tracked.trackingToken().position()
                : OptionalLong.empty();
    }

    private static String describe(EventMessage<?> event, Exception cause) {
        OptionalLong position = positionOf(event);
        return event.getPayloadType().getSimpleName() + " " + event.getIdentifier()
                + (position.isPresent() ? " at global index " + position.getAsLong() : "")
                + ": " + cause;
    }
}
