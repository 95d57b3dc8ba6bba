package io.matchledger.projections.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.matchledger.projections.StandingsProjection;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;

/**
 * What a failed handler is turned into (ADR 0006): the failure names the read model, the event's type and id, and its
 * global index when it came from the store; one already named is passed on as it is, not wrapped again.
 */
class ProjectionFailureTest {

    /** The read model whose handler failed, as Axon's adapter reports it. */
    static final EventMessageHandler STANDINGS = new EventMessageHandler() {
        @Override
        public Object handle(EventMessage<?> event) {
            return null;
        }

        @Override
        public Class<?> getTargetType() {
            return StandingsProjection.class;
        }
    };

    @Test
    void anEventFromTheStoreIsNamedWithItsGlobalIndex() {
        EventMessage<?> event = new GenericTrackedEventMessage<>(
                new GlobalSequenceTrackingToken(42), GenericEventMessage.asEventMessage(7L));

        ProjectionFailure failure = (ProjectionFailure)
                catchThrowable(() -> StopAtFailingEvent.fail(new IllegalStateException("no row"), event, STANDINGS));

        assertThat(failure.handler()).isEqualTo("StandingsProjection");
        assertThat(failure.eventType()).isEqualTo("Long");
        assertThat(failure.eventId()).isEqualTo(event.getIdentifier());
        assertThat(failure.globalIndex()).hasValue(42);
        assertThat(failure)
                .hasMessage("StandingsProjection failed on Long " + event.getIdentifier()
                        + " at global index 42: java.lang.IllegalStateException: no row")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEventNotFromTheStoreHasNoIndex() {
        EventMessage<?> event = GenericEventMessage.asEventMessage("loose");

        ProjectionFailure failure = (ProjectionFailure)
                catchThrowable(() -> StopAtFailingEvent.fail(new IllegalArgumentException("bad"), event, STANDINGS));

        assertThat(failure.globalIndex()).isEmpty();
        assertThat(failure)
                .hasMessage("StandingsProjection failed on String " + event.getIdentifier()
                        + ": java.lang.IllegalArgumentException: bad");
    }

    @Test
    void aFailureAlreadyNamedIsPassedOnAsItIs() {
        EventMessage<?> event = GenericEventMessage.asEventMessage("first");
        ProjectionFailure named = new ProjectionFailure(event, String.class, new IllegalStateException("inner"));

        Throwable passed = catchThrowable(() -> StopAtFailingEvent.fail(named, event, STANDINGS));

        assertThat(passed).isSameAs(named);
    }
}
