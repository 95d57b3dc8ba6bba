package io.matchledger.api.audit;

import java.util.Iterator;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * The events as the store holds them, in its one order: what the audit export, the seasons' seals and the
 * verification read. Read through Axon's own reading of the store, with no upcaster, so each event's payload and
 * metadata come back as the serializer wrote them, with their stored type and revision: the same on the JPA store
 * (a storage engine of its own on the same tables) and on Axon Server (an event store of its own on the same
 * context). {@code EventStoreConfiguration} and {@code AxonServerAuditConfiguration} provide the {@link Source}.
 */
public final class StoredEvents {

    /** A store read as written. */
    public interface Source {

        /**
         * The events after global position {@code position} (-1: from the first) that are there now, in order;
         * close it when done.
         */
        Stream<? extends TrackedEventMessage<?>> after(long position);

        /** The position of the newest event; 0 when there is none. */
        long head();
    }

    private final Source source;
    private final Serializer serializer;

    public StoredEvents(Source source, Serializer serializer) {
        this.source = source;
        this.serializer = serializer;
    }

    /** The position of the newest event, 0 when there is none. */
    public long head() {
        return source.head();
    }

    /**
     * Hands the events after {@code after} and up to {@code through} to {@code next} in global order, at most
     * {@code limit} of them, until {@code next} answers false. With {@code settledOnly} it stops before an event
     * that a write still in flight may yet precede (its token still waits for a lower position): whoever resumes
     * after the last event handed over then misses nothing.
     *
     * @return how many were handed over
     */
    public long read(long after, long through, long limit, boolean settledOnly, Predicate<StoredEvent> next) {
        long handed = 0;
        try (Stream<? extends TrackedEventMessage<?>> events = source.after(Math.max(after, -1))) {
            Iterator<? extends TrackedEventMessage<?>> iterator = events.iterator();
            while (handed < limit && iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                long position = event.trackingToken().position().orElse(0);
                if (position > through || (settledOnly && awaitsEarlier(event.trackingToken(), after))) {
                    break;
                }
                if (!next.test(stored(event, position))) {
                    break;
                }
                handed++;
            }
        }
        return handed;
    }

    /** Whether a position after {@code after} and before this event's may still be filled by a write in flight. */
    private static boolean awaitsEarlier(TrackingToken token, long after) {
        return token instanceof GapAwareTrackingToken gapAware
                && !gapAware.getGaps().tailSet(after + 1).isEmpty();
    }

    private StoredEvent stored(TrackedEventMessage<?> event, long position) {
        SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
        SerializedObject<byte[]> metadata = event.serializeMetaData(serializer, byte[].class);
        // Axon stores an event outside any stream under its own id, at sequence 0, without a type.
        boolean inStream = event instanceof DomainEventMessage<?>;
        DomainEventMessage<?> domain = inStream ? (DomainEventMessage<?>) event : null;
        return new StoredEvent(
                position,
                inStream ? domain.getType() : null,
                inStream ? domain.getAggregateIdentifier() : event.getIdentifier(),
                inStream ? domain.getSequenceNumber() : 0,
                event.getIdentifier(),
                DateTimeUtils.formatInstant(event.getTimestamp()),
                payload.getType().getName(),
                payload.getType().getRevision(),
                payload.getData(),
                metadata.getData());
    }
}
