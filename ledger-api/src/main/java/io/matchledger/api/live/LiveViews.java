package io.matchledger.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live views of this process: who watches what, and a push whenever what they watch has changed.
 * <p>
 * A change is noticed in the database, not in an event handler: several processes may share one database while the
 * standings projection runs in only one of them, so an in-process signal would reach that process's clients only.
 * Every {@code poll} (200 ms), and only while someone watches, {@link StandingsProgress} reads the projection's stored
 * token; when it moved, each watched view is read again once, through the query gateway as its GET endpoint reads it,
 * and sent to those whose last message differs. Changes that land between two polls make one push, of the latest
 * state. During a rebuild nothing is pushed: the tables fill up again from zero, which nobody should watch.
 * <p>
 * The polling runs on one scheduler thread, never a thread per client; the writes run on a small pool of senders
 * ({@code senders}, 4), at most one per stream at a time, the newest state replacing one not sent yet. A write blocks
 * while the client's socket buffers are full: a client that stops reading (a frozen tab, a stuck proxy) so holds up
 * one sender until the container's write timeout ends its request, and never the poll or the other streams (unless
 * as many clients as there are senders stall at once). A client that went away is noticed when a write to it fails,
 * at the latest at the next heartbeat ({@code heartbeat}, 15 s), and the container then ends its request.
 */
@Component
public class LiveViews implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveViews.class);

    private final QueryGateway queries;
    private final ObjectMapper json;
    private final StandingsProgress progress;
    private final Duration pollInterval;
    private final Duration heartbeatInterval;
    private final Duration streamTimeout;
    private final int senderThreads;

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    /** Counts the moves of the read model this process has seen; orders a first message against the pushes. */
    private final AtomicLong moves = new AtomicLong();

    private StandingsProgress.Mark seen;
    private ScheduledThreadPoolExecutor scheduler;
    private volatile ThreadPoolExecutor senders;
    private volatile boolean running;

    public LiveViews(
            QueryGateway queries,
            ObjectMapper json,
            StandingsProgress progress,
            @Value("${ledger.live.poll:200ms}") Duration pollInterval,
            @Value("${ledger.live.heartbeat:15s}") Duration heartbeatInterval,
            @Value("${ledger.live.stream-timeout:10m}") Duration streamTimeout,
            @Value("${ledger.live.senders:4}") int senderThreads) {
        this.queries = queries;
        this.json = json;
        this.progress = progress;
        this.pollInterval = pollInterval;
        this.heartbeatInterval = heartbeatInterval;
        this.streamTimeout = streamTimeout;
        this.senderThreads = senderThreads;
    }

    /**
     * Opens a stream of the view, its first message the view as it is now. Empty when the read model does not know
     * the view (an unknown player): there is nothing to watch.
     * <p>
     * The stream ends after {@code stream-timeout} (10 min); EventSource clients reconnect by themselves, and with
     * every reconnect their credentials are checked again.
     */
    Optional<SseEmitter> watch(LiveView view) {
        SseEmitter emitter = new SseEmitter(streamTimeout.toMillis());
        Subscription subscription = new Subscription(view, emitter);
        // Every end of the request, a timeout or a client gone included, ends in completion: only then is the
        // subscription forgotten, so that what is counted is what the container still holds.
        emitter.onCompletion(() -> subscriptions.remove(subscription));
        emitter.onTimeout(emitter::complete);
        // Registered before the first read: a move after it reaches this subscription too, and a push of a newer
        // state is never overtaken by this older first message (see Subscription.offer).
        subscriptions.add(subscription);
        long movesBefore = moves.get();
        Optional<String> now;
        try {
            now = render(view);
        } catch (RuntimeException failure) {
            subscriptions.remove(subscription);
            throw failure;
        }
        if (now.isEmpty() || !running) {
            subscriptions.remove(subscription);
            return now.isEmpty() ? Optional.empty() : Optional.of(closed(emitter));
        }
        subscription.first(now.get(), movesBefore);
        return Optional.of(emitter);
    }

    /** The streams of this process whose requests have not ended yet. */
    public int subscriptions() {
        return subscriptions.size();
    }

    synchronized void poll() {
        try {
            if (subscriptions.isEmpty()) {
                return; // nobody watches: not even the token is read
            }
            StandingsProgress.Mark now = progress.read();
            if (now.equals(seen)) {
                return;
            }
            seen = now;
            if (now.replaying()) {
                return; // the moves after the rebuild are pushed once it is done
            }
            long move = moves.incrementAndGet();
            Map<LiveView, List<Subscription>> byView = subscriptions.stream()
                    .filter(Subscription::open)
                    .collect(Collectors.groupingBy(Subscription::view));
            byView.forEach((view, watchers) -> {
                try {
                    render(view).ifPresent(state -> watchers.forEach(watcher -> watcher.offer(state, move)));
                } catch (RuntimeException failure) {
                    log.warn("Could not read live view {}; its watchers get the next change", view, failure);
                }
            });
        } catch (RuntimeException failure) {
            // A periodic task that throws is never run again: log, and try at the next tick.
            log.warn("Could not check the standings for changes", failure);
        }
    }

    /** An SSE comment to every stream: keeps proxies from closing idle streams and finds clients that are gone. */
    void heartbeat() {
        subscriptions.stream().filter(Subscription::open).forEach(Subscription::beat);
    }

    private Optional<String> render(LiveView view) {
        return view.read(queries).map(state -> {
            try {
                return json.writeValueAsString(state);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static SseEmitter closed(SseEmitter emitter) {
        emitter.complete();
        return emitter;
    }

    @Override
    public synchronized void start() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ledger-live");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        AtomicInteger senderCount = new AtomicInteger();
        senders = new ThreadPoolExecutor(
                senderThreads, senderThreads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "ledger-live-send-" + senderCount.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        senders.allowCoreThreadTimeOut(true);
        scheduler.scheduleWithFixedDelay(
                this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::heartbeat, heartbeatInterval.toMillis(), heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    /**
     * Ends every stream before the web server shuts down (this phase stops first): a graceful shutdown would otherwise
     * wait for streams that never end, and the clients reconnect to whichever process is still there.
     */
    @Override
    public synchronized void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
            senders.shutdownNow();
        }
        subscriptions.forEach(subscription -> subscription.emitter().complete());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * One client's stream. Its messages are written one at a time, in the order of the moves they show, by one sender
     * at a time: a state offered while a write is under way waits, and a newer one replaces it.
     */
    private final class Subscription {

        private final LiveView view;
        private final SseEmitter emitter;
        private long lastMove = -1;
        private String lastOffered;
        /** The state to write next (null: none), and whether a heartbeat is due; guarded by this. */
        private String pending;

        private boolean beatDue;
        private boolean writing;
        private volatile boolean gone;

        Subscription(LiveView view, SseEmitter emitter) {
            this.view = view;
            this.emitter = emitter;
        }

        LiveView view() {
            return view;
        }

        SseEmitter emitter() {
            return emitter;
        }

        boolean open() {
            return !gone;
        }

        /**
         * Sends {@code state}, read after {@code move}, unless the client has it already or has a state read after a
         * later move: a first message read before a move must not overwrite that move's push.
         */
        synchronized void offer(String state, long move) {
            if (move < lastMove) {
                return;
            }
            lastMove = move;
            if (state.equals(lastOffered)) {
                return;
            }
            lastOffered = state;
            pending = state;
            write();
        }

        synchronized void beat() {
            beatDue = true;
            write();
        }

        /**
         * The first message, written on the request's own thread before the emitter is handed to Spring MVC (which
         * keeps it until the response is set up), as {@link #offer} would, unless a push of a later move came first.
         * Meanwhile no sender writes; one is called afterwards for what was offered in between.
         */
        void first(String state, long move) {
            synchronized (this) {
                if (move < lastMove) {
                    return;
                }
                lastMove = move;
                lastOffered = state;
                if (writing) {
                    pending = state; // a heartbeat is being written already: its sender writes this next
                    return;
                }
                writing = true;
            }
            send(SseEmitter.event().data(state));
            synchronized (this) {
                writing = false;
                if (pending != null || beatDue) {
                    write();
                }
            }
        }

        /** Hands the writing to a sender, unless one is at it already (it takes what is pending when done). */
        private void write() {
            if (writing || gone) {
                return;
            }
            writing = true;
            try {
                senders.execute(this::writePending);
            } catch (RejectedExecutionException stopped) {
                writing = false;
                gone = true; // shutting down: stop() completes every stream
            }
        }

        /** On a sender: writes what is pending until nothing is, outside the lock (a write may block). */
        private void writePending() {
            while (true) {
                SseEmitter.SseEventBuilder event;
                synchronized (this) {
                    if (gone || (pending == null && !beatDue)) {
                        writing = false;
                        return;
                    }
                    // A state is news enough to keep the stream alive: no heartbeat beside it.
                    event = pending != null
                            ? SseEmitter.event().data(pending)
                            : SseEmitter.event().comment("heartbeat");
                    pending = null;
                    beatDue = false;
                }
                send(event);
            }
        }

        private void send(SseEmitter.SseEventBuilder event) {
            try {
                emitter.send(event);
            } catch (IOException | IllegalStateException failure) {
                // The client went away, or the stream has ended: the container ends the request and calls back
                // (onCompletion); nothing more is sent meanwhile.
                gone = true;
            }
        }
    }
}
