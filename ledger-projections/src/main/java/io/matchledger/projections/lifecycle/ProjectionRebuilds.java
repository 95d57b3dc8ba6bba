package io.matchledger.projections.lifecycle;

import io.matchledger.projections.HeldRows;
import io.matchledger.projections.ReadModelGate;
import io.matchledger.projections.Rebuildable;
import io.matchledger.projections.TableSet;
import jakarta.annotation.PreDestroy;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds a projection blue/green: its own handlers, in a fresh instance writing to the twin tables
 * ({@link TableSet#REBUILD}), run on a tracking processor of their own from the first event while the live model stays
 * as it is and keeps up. That processor is Axon's, so the rebuild follows the store exactly as the live one does: its
 * batches, its gaps, events appended meanwhile. When it has caught up, the live processor is stopped, the rebuild
 * finishes whatever the live model had processed, and the twins and the live tables trade names. Readers see the old
 * model until then and the whole new one after it, never a half-built one.
 * <p>
 * The live processor then goes on from its own tokens, which the other read models on it need: the rebuilt model stands
 * at or past them, and the events between are redeliveries to the projection, which skips them by its own rule.
 */
@Component
@EnableConfigurationProperties(ProjectionSettings.class)
public class ProjectionRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ProjectionRebuilds.class);
    /** How long a stopping service waits for its rebuilds to discard themselves (a processor stops within 5 s). */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    private final Map<String, Rebuildable> projections;
    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    private final TokenStore tokenStore;
    private final TransactionManager axonTransactions;
    private final TransactionTemplate transactions;
    private final TokenStoreView tokens;
    private final JdbcTemplate jdbc;
    private final EntityManager entityManager;
    private final ReadModelGate gate;
    private final ApplicationEventPublisher published;
    private final List<RebuildInterceptor> interceptors;
    private final int batchSize;
    private final Duration catchUpWithin;
    private final Duration finishWithin;
    private final Map<String, Rebuild> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private final ExecutorService watchers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ledger-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    public ProjectionRebuilds(
            List<Rebuildable> projections,
            StreamableMessageSource<TrackedEventMessage<?>> events,
            TokenStore tokenStore,
            TransactionManager axonTransactions,
            PlatformTransactionManager transactionManager,
            TokenStoreView tokens,
            JdbcTemplate jdbc,
            EntityManager entityManager,
            ReadModelGate gate,
            ApplicationEventPublisher published,
            List<RebuildInterceptor> interceptors,
            ProjectionSettings settings) {
        this.projections = projections.stream().collect(Collectors.toMap(Rebuildable::name, Function.identity()));
        this.events = events;
        this.tokenStore = tokenStore;
        this.axonTransactions = axonTransactions;
        this.transactions = new TransactionTemplate(transactionManager);
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.entityManager = entityManager;
        this.gate = gate;
        this.published = published;
        this.interceptors = List.copyOf(interceptors);
        this.batchSize = settings.rebuildBatchSize();
        this.catchUpWithin = settings.rebuildCatchUpWithin();
        this.finishWithin = settings.rebuildFinishWithin();
    }

    /** Whether {@code name} is a read model this class can rebuild. */
    public boolean rebuilds(String name) {
        return projections.containsKey(name);
    }

    /** The global index a rebuild of {@code name} has reached, while one is under way here. */
    public OptionalLong progress(String name) {
        Rebuild rebuild = running.get(name);
        return rebuild == null ? OptionalLong.empty() : OptionalLong.of(rebuild.position.get());
    }

    /**
     * Starts rebuilding the read model {@code name}, whose live model {@code live} keeps; returns at
     * once. Refused while it is rebuilding already and while another process holds a segment of {@code live} (only
     * the holder may stop it).
     */
    public synchronized void start(String name, StreamingEventProcessor live) {
        Rebuildable projection = projections.get(name);
        if (projection == null) {
            throw new IllegalArgumentException("no rebuildable projection " + name);
        }
        if (running.containsKey(name)) {
            throw new RebuildRefused("projection " + name + " is rebuilding already; its progress is in "
                    + "GET /api/admin/projections");
        }
        if (!tokens.heldElsewhere(live.getName()).isEmpty()) {
            throw new RebuildRefused("projection " + name + " is held by another process; stop it there");
        }
        Rebuild rebuild = new Rebuild(projection, live);
        running.put(name, rebuild);
        try {
            rebuild.begin();
        } catch (RuntimeException failure) {
            running.remove(name);
            throw failure;
        }
        watchers.execute(() -> {
            try {
                rebuild.run();
            } catch (RuntimeException | Error failure) {
                log.error("Rebuild of {} failed; the live model is kept as it was", name, failure);
            } finally {
                rebuild.discard();
                running.remove(name);
            }
        });
    }

    /**
     * Stops the rebuilds under way, as the service stops: each is interrupted and discards itself (it empties its
     * twins and forgets its token; the next one starts from the first event), and the live model is left as it is,
     * not started again. A rebuild in its swap finishes it first.
     */
    @PreDestroy
    public void stop() throws InterruptedException {
        stopping = true;
        watchers.shutdownNow();
        if (!watchers.awaitTermination(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            log.warn("A rebuild did not stop within {}; its twins are emptied at the next rebuild", STOP_WITHIN);
        }
    }

    /** One rebuild: its processor on the twin tables, and the live processor it is to replace the model of. */
    private final class Rebuild {

        private final Rebuildable projection;
        private final StreamingEventProcessor live;
        private final TrackingEventProcessor shadow;
        private final HeldRows held;
        private final List<TwinIndexes> builtLast;
        private final AtomicLong position = new AtomicLong();
        private final long started = System.nanoTime();
        private String swapTook;

        Rebuild(Rebuildable projection, StreamingEventProcessor live) {
            this.projection = projection;
            this.live = live;
            Rebuildable.Rebuilding copy = projection.rebuilding();
            this.held = copy.held();
            this.builtLast = TwinIndexes.of(jdbc, projection);
            this.shadow = TrackingEventProcessor.builder()
                    .name(projection.name() + TableSet.REBUILD.suffix())
                    .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                            .eventHandlers(copy.handlers())
                            // A handler that fails stops the rebuild (see run), instead of skipping the event.
                            .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                            .build())
                    .errorHandler(PropagatingErrorHandler.instance())
                    .messageSource(events)
                    .tokenStore(tokenStore)
                    .transactionManager(axonTransactions)
                    .trackingEventProcessorConfiguration(
                            TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                    .andBatchSize(batchSize)
                                    .andInitialTrackingToken(StreamableMessageSource::createTailToken))
                    .build();
            interceptors.forEach(shadow::registerHandlerInterceptor);
        }

        /** Empties the twins (and forgets an earlier rebuild's token) and starts the rebuild's processor. */
        void begin() {
            log.warn("Rebuilding projection {} beside the live model, from the first event", projection.name());
            emptyTwins();
            builtLast.forEach(TwinIndexes::drop);
            shadow.start();
        }

        void run() {
            // Near the head of the store (not of the live processor, which may be stopped or failing): the rest is
            // finished with the live model stopped, which should take a batch or two.
            long caughtUpBy = started + catchUpWithin.toNanos();
            String caughtUp = "come near the head within " + catchUpWithin;
            waitUntil(() -> position(shadow) >= head() - batchSize || held.full(), caughtUpBy, caughtUp);
            if (held.holding() || !builtLast.isEmpty()) {
                // The rows held across batches go to the twins now, and the indexes built last are built, with the
                // live model still running; from here on every batch writes its rows, as the live model does.
                ProcessorShutdown.shutDown(shadow);
                writeHeld();
                buildIndexes();
                shadow.start();
                waitUntil(() -> position(shadow) >= head() - batchSize, caughtUpBy, caughtUp);
            }
            ProcessorShutdown.shutDown(live);
            try {
                // Stopped, the live model stands at its stored tokens; the rebuild must have processed what they
                // cover, and the live processor goes on from them.
                Map<Integer, TokenStoreView.StoredToken> liveTokens = tokens.tokens(live.getName());
                waitUntil(
                        () -> reached(liveTokens, current()),
                        System.nanoTime() + finishWithin.toNanos(),
                        "finish what the stopped live model had processed within " + finishWithin);
                ProcessorShutdown.shutDown(shadow);
                if (!reached(liveTokens, stored())) {
                    throw new IllegalStateException("the rebuild's stored token is short of the live model's");
                }
                long swapStarted = System.nanoTime();
                swapTables(liveTokens);
                swapTook = millisSince(swapStarted);
                published.publishEvent(new ProjectionRebuilt(projection.name()));
            } finally {
                if (!stopping) {
                    live.start();
                }
            }
            log.warn(
                    "Rebuilt projection {} through global index {} in {} ms (the swap {} ms)",
                    projection.name(),
                    position.get(),
                    millisSince(started),
                    swapTook);
        }

        /** Writes the rows held across batches into the twins, in one transaction; the processor is stopped. */
        private void writeHeld() {
            if (held.holding()) {
                long writing = System.nanoTime();
                transactions.executeWithoutResult(status -> held.writeHeld());
                log.info("Rebuild of {} wrote the rows it held in {} ms", projection.name(), millisSince(writing));
            }
        }

        /** Builds the twins' indexes that were dropped while they filled; a no-op for those built already. */
        private void buildIndexes() {
            if (!builtLast.isEmpty()) {
                long building = System.nanoTime();
                builtLast.forEach(TwinIndexes::build);
                log.info(
                        "Rebuild of {} built the indexes {} in {} ms",
                        projection.name(),
                        projection.indexesBuiltLast(),
                        millisSince(building));
            }
        }

        /** The rebuild's token as its processor has it now; null before its first batch. */
        private TrackingToken current() {
            EventTrackerStatus status = shadow.processingStatus().get(0);
            return status == null ? null : status.getTrackingToken();
        }

        /** The rebuild's token as stored, once its processor has stopped. */
        private TrackingToken stored() {
            TokenStoreView.StoredToken token = tokens.tokens(shadow.getName()).get(0);
            return token == null ? null : token.token();
        }

        /**
         * Makes the twins the live tables, and the live tables the twins (emptied afterwards): renames, no rows
         * copied, so the swap takes the same moment for any size ({@link TableSwap}). Its decision stores the live
         * tokens again, which claims every live segment: if another process took one meanwhile, this fails and nothing
         * changes. Readers wait at the gate meanwhile (on H2 each rename commits on
         * its own, and a kill between two is finished or undone at the next start: {@link InterruptedSwaps}).
         */
        private void swapTables(Map<Integer, TokenStoreView.StoredToken> liveTokens) {
            TableSwap swap = new TableSwap(jdbc, projection.name(), projection.tables());
            gate.alone(() -> {
                try {
                    transactions.executeWithoutResult(status ->
                            swap.run(TableSwap.storing(tokenStore, entityManager, live.getName(), liveTokens)));
                } catch (RuntimeException failure) {
                    // On H2 the steps before the failure committed: finish or undo them now, as a start would.
                    boolean finished = InterruptedSwaps.recover(jdbc).stream()
                            .anyMatch(recovered -> recovered.finished()
                                    && recovered.processingGroup().equals(projection.name()));
                    if (!finished) {
                        throw failure;
                    }
                    log.warn("The swap of {} failed after its decision and was finished", projection.name(), failure);
                }
            });
        }

        /** Waits until {@code done}; fails when the rebuild's handlers fail, or at the deadline ({@code nanoTime}). */
        private void waitUntil(BooleanSupplier done, long deadline, String toDo) {
            while (!done.getAsBoolean()) {
                EventTrackerStatus status = shadow.processingStatus().get(0);
                if (status != null && status.isErrorState()) {
                    throw new IllegalStateException("the rebuild's handlers failed", status.getError());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the rebuild did not " + toDo);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("rebuild interrupted");
                }
                position.accumulateAndGet(position(shadow), Math::max);
            }
            position.accumulateAndGet(position(shadow), Math::max);
        }

        /** Stops the rebuild's processor and empties the twins; the live model is untouched. */
        void discard() {
            ProcessorShutdown.shutDown(shadow);
            emptyTwins();
            builtLast.forEach(TwinIndexes::build); // at rest a twin has the live table's indexes
        }

        private void emptyTwins() {
            InterruptedSwaps.emptyTwins(jdbc, projection.name(), projection.tables());
        }
    }

    /**
     * Whether the rebuild has processed every event the live tokens say the live model has: at or past each
     * token's index, and missing no event below it that the live model has (a gap of the rebuild that is no gap of
     * the live token). The live processor goes on from its own tokens, which cover no more than that.
     */
    static boolean reached(Map<Integer, TokenStoreView.StoredToken> liveTokens, TrackingToken rebuilt) {
        TrackingToken reached = WrappedToken.unwrapLowerBound(rebuilt);
        for (TokenStoreView.StoredToken stored : liveTokens.values()) {
            TrackingToken live = WrappedToken.unwrapLowerBound(stored.token());
            if (live == null) {
                continue;
            }
            long index = live.position().orElse(0);
            if (reached == null || reached.position().orElse(0) < index) {
                return false;
            }
            if (reached instanceof GapAwareTrackingToken rebuiltGaps
                    && live instanceof GapAwareTrackingToken liveGaps
                    && !liveGaps.getGaps().containsAll(rebuiltGaps.getGaps().headSet(index + 1))) {
                return false;
            }
        }
        return true;
    }

    /** Milliseconds since {@code started} ({@code nanoTime}), for the log. */
    private static String millisSince(long started) {
        return String.format("%.0f", (System.nanoTime() - started) / 1e6);
    }

    /** The position of the newest event in the store; 0 when there is none. */
    private long head() {
        TrackingToken head = events.createHeadToken();
        return head == null ? 0 : head.position().orElse(0);
    }

    /** The lowest position over the processor's segments here; 0 before it has claimed one. */
    private static long position(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .mapToLong(status -> status.getCurrentPosition().orElse(0))
                .min()
                .orElse(0);
    }
}
