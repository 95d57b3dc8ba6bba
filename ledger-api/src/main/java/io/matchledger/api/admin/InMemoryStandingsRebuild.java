package io.matchledger.api.admin;

import io.matchledger.api.eventtable.StoredEvent;
import io.matchledger.api.eventtable.StoredEvents;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.StandingsRebuild;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.MultiEventHandlerInvoker;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the standings without ever showing a half-built model (see {@link StandingsRebuild}): the event table is
 * read page by page, each page upcast and deserialized as Axon's store does, and folded in memory through the
 * projection's own handlers while the old model stays live and keeps up. The fold then catches up with what was
 * appended meanwhile, stops the processor, folds the last events (so it stands at or past the live model, and no
 * total goes back), and in one transaction replaces the tables and moves the processor's token to the last event
 * folded; the processor starts again from there.
 * <p>
 * Only where it is exact: on Axon's JPA store (the event table is read directly), and when the standings' processor
 * runs {@link StandingsProjection} alone (another handler in the group would miss the replay). Otherwise, and when
 * the players outgrow {@code ledger.projections.rebuild-in-memory-players}, the processor replays instead.
 */
@Component
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
class InMemoryStandingsRebuild {

    private static final Logger log = LoggerFactory.getLogger(InMemoryStandingsRebuild.class);
    /**
     * How far below the last event a missing index is kept as a gap in the token, as Axon's JPA store does by
     * default ({@code maxGapOffset}): a write that holds such an index and commits later is still processed.
     */
    private static final long GAP_WINDOW = 10_000;
    /** Catch-up reads while the live model runs on, before it is stopped for the last one and the swap. */
    private static final int CATCH_UP_ROUNDS = 5;

    private final StoredEvents events;
    private final StandingsRebuild rebuild;
    private final Serializer serializer;
    private final EventUpcaster upcasters;
    private final TokenStore tokenStore;
    private final EventStore eventStore;
    private final TransactionTemplate transactions;
    private final int maxPlayers;
    /** The rebuild, and the reader that feeds it pages. */
    private final ExecutorService worker =
            Executors.newFixedThreadPool(2, runnable -> new Thread(runnable, "ledger-rebuild"));
    /** The global index folded so far, per processor being rebuilt. */
    private final Map<String, AtomicLong> running = new ConcurrentHashMap<>();

    InMemoryStandingsRebuild(
            StoredEvents events,
            StandingsRebuild rebuild,
            @Qualifier("eventSerializer") Serializer serializer,
            org.axonframework.config.Configuration axon,
            TokenStore tokenStore,
            EventStore eventStore,
            PlatformTransactionManager transactionManager,
            @Value("${ledger.projections.rebuild-in-memory-players:250000}") int maxPlayers) {
        this.events = events;
        this.rebuild = rebuild;
        this.serializer = serializer;
        this.upcasters = axon.upcasterChain();
        this.tokenStore = tokenStore;
        this.eventStore = eventStore;
        this.transactions = new TransactionTemplate(transactionManager);
        this.maxPlayers = maxPlayers;
    }

    /** Whether this processor can be rebuilt in memory: it runs the standings projection and nothing else. */
    boolean appliesTo(StreamingEventProcessor processor) {
        if (!(processor instanceof AbstractEventProcessor axonProcessor)) {
            return false;
        }
        List<Class<?>> handlers = new ArrayList<>();
        collectHandlerTypes(axonProcessor.eventHandlerInvoker(), handlers);
        return handlers.size() == 1 && StandingsProjection.class.isAssignableFrom(handlers.get(0));
    }

    /** Whether a rebuild of this processor is under way, and the global index it has folded up to. */
    Long progress(String processorName) {
        AtomicLong position = running.get(processorName);
        return position == null ? null : position.get();
    }

    /**
     * Starts the rebuild in the background. {@code fallback} runs instead when the model does not fit in memory: it
     * must replay through the processor.
     */
    void start(StreamingEventProcessor processor, Runnable fallback) {
        String name = processor.getName();
        AtomicLong position = new AtomicLong();
        if (running.putIfAbsent(name, position) != null) {
            throw new IllegalStateException("a rebuild of " + name + " is under way");
        }
        worker.execute(() -> {
            try {
                run(processor, position, fallback);
            } catch (RuntimeException | Error failure) {
                log.error("Rebuild of {} failed; the model from before it is kept", name, failure);
            } finally {
                running.remove(name);
            }
        });
    }

    private void run(StreamingEventProcessor processor, AtomicLong progress, Runnable fallback) {
        String name = processor.getName();
        long started = System.nanoTime();
        StandingsRebuild.Fold fold = rebuild.fold(maxPlayers);
        Position position = new Position();
        foldHistory(fold, position, progress);
        if (Thread.currentThread().isInterrupted()) {
            log.warn("Rebuild of {} interrupted; the model from before it is kept", name);
            return;
        }
        // The live model kept up meanwhile: fold what it saw too, or swapping in the fold would take totals back.
        for (int round = 0;
                round < CATCH_UP_ROUNDS && !fold.full() && events.head() - position.last > StoredEvents.PAGE;
                round++) {
            catchUp(fold, position, progress);
        }
        if (!fold.full()) {
            swap(processor, fold, position, progress);
        }
        if (fold.full()) {
            log.warn(
                    "Rebuild of {}: more than {} players do not fit in memory; replaying through the processor",
                    name,
                    maxPlayers);
            fallback.run();
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        log.warn(
                "Rebuilt {} in memory: {} events, {} players, through global index {}, in {} s ({} events/s)",
                name,
                position.read,
                fold.players(),
                position.last,
                String.format("%.1f", seconds),
                Math.round(position.read / Math.max(seconds, 1e-9)));
    }

    /**
     * Stops the processor, folds the last events (stopped, the live model stands at or below the head, so the fold
     * passes it and no total goes back), then in one transaction replaces the tables and moves the processor's token.
     */
    private void swap(
            StreamingEventProcessor processor, StandingsRebuild.Fold fold, Position position, AtomicLong progress) {
        String name = processor.getName();
        ProcessorShutdown.shutDown(processor);
        try {
            catchUp(fold, position, progress);
            if (fold.full()) {
                return;
            }
            TrackingToken token = position.last == 0
                    ? eventStore.createTailToken()
                    : GapAwareTrackingToken.newInstance(position.last, position.gaps);
            transactions.executeWithoutResult(status -> {
                rebuild.replaceWith(fold);
                int[] segments = tokenStore.fetchSegments(name);
                if (segments.length == 0) {
                    tokenStore.initializeTokenSegments(name, 1, token);
                }
                for (int segment : segments) {
                    // Claims the segment, or fails (and rolls the new rows back) when another process holds it.
                    tokenStore.storeToken(token, name, segment);
                }
            });
        } finally {
            processor.start();
        }
    }

    /** The bulk of the history, up to the head when the rebuild began: read on one thread, folded on this one. */
    private void foldHistory(StandingsRebuild.Fold fold, Position position, AtomicLong progress) {
        Pages pages = new Pages(events.head(), position);
        Future<?> reading = worker.submit(pages::read);
        try {
            for (List<StoredEvent> page = pages.next(); page != null; page = pages.next()) {
                if (!fold.full()) {
                    foldPage(page, fold);
                    progress.set(page.get(page.size() - 1).token());
                } else {
                    pages.stopped = true; // the rest is drained unread: this fold is given up
                }
            }
        } finally {
            // Failed or interrupted here: the reader must not wait for a taker forever.
            reading.cancel(true);
        }
        waitFor(reading);
    }

    /**
     * Folds what was appended since, and what filled a gap: read from the oldest gap up to the current head, on this
     * thread (it is short).
     */
    private void catchUp(StandingsRebuild.Fold fold, Position position, AtomicLong progress) {
        long through = events.head();
        List<StoredEvent> page = new ArrayList<>(StoredEvents.PAGE);
        events.read(position.readFrom(), through, Long.MAX_VALUE, event -> {
            if (position.take(event.token(), through)) {
                page.add(event);
                if (page.size() == StoredEvents.PAGE) {
                    foldPage(List.copyOf(page), fold);
                    page.clear();
                }
            }
            return !fold.full();
        });
        if (!page.isEmpty() && !fold.full()) {
            foldPage(page, fold);
        }
        position.forgetOldGaps();
        progress.set(position.last);
    }

    private static void waitFor(Future<?> reading) {
        try {
            if (!reading.isCancelled()) {
                reading.get();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException failed) {
            throw new IllegalStateException("reading the event store failed", failed.getCause());
        }
    }

    /**
     * Where the fold stands: the last global index taken, and the indexes below it still missing. A missing index
     * within {@link #GAP_WINDOW} of the end may still commit (a transaction that took it is slow), as Axon's JPA store
     * assumes: it is kept as a gap, in the token the rebuilt model will stand at, and taken when it turns up.
     */
    private static final class Position {

        private final SortedSet<Long> gaps = new TreeSet<>();
        private long last;
        private long read;

        /** Whether this event is one the fold has not taken yet; notes the indexes it skips as gaps. */
        boolean take(long token, long through) {
            if (token <= last) {
                boolean filled = gaps.remove(token);
                read += filled ? 1 : 0;
                return filled;
            }
            for (long missing = Math.max(last + 1, through - GAP_WINDOW + 1); missing < token; missing++) {
                gaps.add(missing);
            }
            last = token;
            read++;
            return true;
        }

        /** The index to read after so that nothing new, and no gap filled since, is missed. */
        long readFrom() {
            return gaps.isEmpty() ? last : gaps.first() - 1;
        }

        void forgetOldGaps() {
            gaps.headSet(last - GAP_WINDOW + 1).clear();
        }
    }

    /** The events through a global index, read a page at a time into a short queue. */
    private final class Pages {

        private final long through;
        private final Position position;
        private final BlockingQueue<List<StoredEvent>> queue = new ArrayBlockingQueue<>(4);
        private volatile boolean stopped;

        Pages(long through, Position position) {
            this.through = through;
            this.position = position;
        }

        void read() {
            List<StoredEvent> page = new ArrayList<>(StoredEvents.PAGE);
            try {
                events.read(0, through, Long.MAX_VALUE, event -> {
                    position.take(event.token(), through);
                    page.add(event);
                    if (page.size() == StoredEvents.PAGE) {
                        put(List.copyOf(page));
                        page.clear();
                    }
                    return !stopped;
                });
                if (!page.isEmpty()) {
                    put(List.copyOf(page));
                }
            } finally {
                put(List.of());
            }
        }

        /** The next page, or null after the last one. */
        List<StoredEvent> next() {
            try {
                List<StoredEvent> page = queue.take();
                return page.isEmpty() ? null : page;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                stopped = true;
                return null;
            }
        }

        private void put(List<StoredEvent> page) {
            try {
                queue.put(page);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    /** Upcasts and deserializes a page as Axon's store would, and folds it. */
    private void foldPage(List<StoredEvent> page, StandingsRebuild.Fold fold) {
        EventUtils.upcastAndDeserializeTrackedEvents(
                        page.stream().map(InMemoryStandingsRebuild::data), serializer, upcasters)
                .forEachOrdered(message -> handle(fold, message));
    }

    private static void handle(StandingsRebuild.Fold fold, TrackedEventMessage<?> message) {
        try {
            fold.handle(message);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not fold event " + message.getIdentifier(), e);
        }
    }

    private static TrackedDomainEventData<byte[]> data(StoredEvent event) {
        return new TrackedDomainEventData<>(
                new GlobalSequenceTrackingToken(event.token()),
                new GenericDomainEventEntry<>(
                        event.aggregateType(),
                        event.aggregateId(),
                        event.sequence(),
                        event.eventId(),
                        event.timestamp(),
                        event.payloadType(),
                        event.payloadRevision(),
                        event.payload(),
                        event.metadata()));
    }

    private static void collectHandlerTypes(EventHandlerInvoker invoker, List<Class<?>> types) {
        if (invoker instanceof MultiEventHandlerInvoker multi) {
            multi.delegates().forEach(delegate -> collectHandlerTypes(delegate, types));
        } else if (invoker instanceof SimpleEventHandlerInvoker simple) {
            simple.eventHandlers().forEach(handler -> types.add(handler.getTargetType()));
        } else {
            types.add(Object.class); // unknown: not ours to replace
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
