package io.matchledger.projections;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers events to a projection the way a streaming event processor does: through Axon's annotation adapter, each
 * with a global tracking token, its stream's sequence number and a timestamp, and in a transaction of its own, so
 * that what a test reads back is what was committed.
 */
final class EventFeed {

    static final Instant START = Instant.parse("2026-11-26T10:00:00.123456789Z");

    private final AnnotationEventHandlerAdapter projection;
    private final TransactionTemplate transactions;
    private final Map<String, Long> sequences = new HashMap<>();
    private final List<TrackedEventMessage<?>> history = new ArrayList<>();
    /** Events published since {@link #hold()}, delivered together by {@link #release()}; null when not holding. */
    private List<TrackedEventMessage<?>> held;

    EventFeed(Object projection, PlatformTransactionManager transactionManager) {
        this.projection = new AnnotationEventHandlerAdapter(projection);
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Appends the event to the stream (next sequence, next global position, a later timestamp) and delivers it. */
    TrackedEventMessage<?> publish(String streamId, Object event) {
        long sequence = sequences.merge(streamId, 1L, Long::sum) - 1;
        long position = history.size();
        return publish(streamId, sequence, position, event);
    }

    /** Appends the event as {@link #publish(String, Object)} does, but leaves its delivery to the test. */
    TrackedEventMessage<?> append(String streamId, Object event) {
        long sequence = sequences.merge(streamId, 1L, Long::sum) - 1;
        return append(streamId, sequence, history.size(), event);
    }

    /**
     * As above, at a position the test chooses, for orders that a single event store would not produce; the event is
     * recorded {@code position} seconds after {@link #START}, so that the same position means the same moment.
     */
    TrackedEventMessage<?> publish(String streamId, long sequence, long position, Object event) {
        TrackedEventMessage<?> message = append(streamId, sequence, position, event);
        if (held != null) {
            held.add(message);
        } else {
            deliver(message);
        }
        return message;
    }

    /** As {@link #publish(String, long, long, Object)}, leaving the delivery to the test. */
    TrackedEventMessage<?> append(String streamId, long sequence, long position, Object event) {
        GenericDomainEventMessage<?> domainEvent = new GenericDomainEventMessage<>(
                "Stream",
                streamId,
                sequence,
                event,
                MetaData.emptyInstance(),
                UUID.randomUUID().toString(),
                START.plus(Duration.ofSeconds(position)));
        TrackedEventMessage<?> message =
                new GenericTrackedDomainEventMessage<>(new GlobalSequenceTrackingToken(position), domainEvent);
        history.add(message);
        return message;
    }

    /** From now on, published events wait to be delivered together, as one processor batch. */
    void hold() {
        held = new ArrayList<>();
    }

    /** Delivers the events held since {@link #hold()} as one batch, and returns them. */
    List<TrackedEventMessage<?>> release() {
        List<TrackedEventMessage<?>> batch = List.copyOf(held);
        held = null;
        deliverTogether(batch);
        return batch;
    }

    /** Delivers the messages in one unit of work and one transaction, as a streaming processor handles a batch. */
    void deliverTogether(List<TrackedEventMessage<?>> batch) {
        transactions.executeWithoutResult(status -> {
            BatchingUnitOfWork<TrackedEventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
            ResultMessage<?> handled = unitOfWork.executeWithResult(() -> projection.handle(unitOfWork.getMessage()));
            if (handled.isExceptional()) {
                throw new IllegalStateException(handled.exceptionResult());
            }
        });
    }

    /** Everything published so far, in global order, each event once. */
    List<TrackedEventMessage<?>> history() {
        return List.copyOf(history);
    }

    /** Delivers a message; given one already delivered, it is a redelivery, as after a crash before the token was stored. */
    void deliver(TrackedEventMessage<?> message) {
        transactions.executeWithoutResult(status -> {
            // In a unit of work of its own, committed inside the transaction, as a processor's batch of one.
            ResultMessage<?> handled =
                    DefaultUnitOfWork.startAndGet(message).executeWithResult(() -> projection.handle(message));
            if (handled.isExceptional()) {
                throw new IllegalStateException(handled.exceptionResult());
            }
        });
    }

    /** Resets the projection and replays everything published so far, with replay tokens, as a rebuild does. */
    void rebuild() {
        transactions.executeWithoutResult(status -> projection.prepareReset());
        TrackingToken token = ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(history.size() - 1), null);
        for (TrackedEventMessage<?> message : history) {
            // The replay token becomes a plain one once it passes the position where the reset happened.
            token = token instanceof WrappedToken replay
                    ? replay.advancedTo(message.trackingToken())
                    : message.trackingToken();
            deliver(message.withTrackingToken(token));
        }
    }
}
