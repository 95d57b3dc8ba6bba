package io.matchledger.projections;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;

/**
 * A repair ({@link io.matchledger.projections.api.ReadModelRepair}): one stream of the ledger handed again, from its
 * first event, to a projection's own handlers, within the processor's batch. Read without its snapshot (a snapshot
 * is the aggregate's state, not events a projection knows).
 */
final class StreamReplay {

    private StreamReplay() {}

    static void replay(ObjectProvider<EventStore> store, String aggregateId, Object projection) {
        AnnotationEventHandlerAdapter handlers = new AnnotationEventHandlerAdapter(projection);
        DomainEventStream events = store.getObject().readEvents(aggregateId, 0);
        while (events.hasNext()) {
            DomainEventMessage<?> event = events.next();
            try {
                handlers.handle(event);
            } catch (RuntimeException failure) {
                throw failure;
            } catch (Exception failure) {
                throw new IllegalStateException(
                        "repair of " + aggregateId + " failed at " + event.getSequenceNumber(), failure);
            }
        }
    }
}
