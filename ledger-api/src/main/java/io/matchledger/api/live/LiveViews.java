package io.matchledger.api.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.projections.lifecycle.ProjectionRebuilt;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
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
 * state. During a replay in place (a reset through Axon's own tooling) nothing is pushed: the tables fill up again
 * from zero, which nobody should watch. A blue/green rebuild changes the rows at once, and says so
 * ({@link ProjectionRebuilt}).
 * <p>
 * The polling runs on one scheduler thread, never a thread per client; the writes run on a small pool of senders,
 * at most one per stream at a time ({@link LiveStream}).
 */
@Component
@EnableConfigurationProperties(LiveSettings.class)
public class LiveViews implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveViews.class);

    private final QueryGateway queries;
    private final ObjectMapper json;
    private final StandingsProgress progress;
    private final LiveSettings settings;

    private final Set<LiveStream> subscriptions = ConcurrentHashMap.newKeySet();
    /** Counts the moves of the read model this process has seen; orders a first message against the pushes. */
    private final AtomicLong moves = new AtomicLong();

    private StandingsProgress.Mark seen;
    private ScheduledThreadPoolExecutor scheduler;
    private volatile ThreadPoolExecutor senders;
    private volatile boolean running;

    public LiveViews(QueryGateway queries, ObjectMapper json, StandingsProgress progress, LiveSettings settings) {
        this.queries = queries;
        this.json = json;
        this.progress = progress;
        this.settings = settings;
    }

    /**
     * Opens a stream of the view, its first message the view as it is now. Empty when the read model does not know
     * the view (an unknown player): there is nothing to watch.
     * <p>
     * The stream ends after {@code stream-timeout} (10 min); EventSource clients reconnect by themselves, and with
     * every reconnect their credentials are checked again.
     */
    Optional<SseEmitter> watch(LiveView view) {
        SseEmitter emitter = new SseEmitter(settings.streamTimeout().toMillis());
        LiveStream subscription = new LiveStream(view, emitter, senders);
        // Every end of the request, a timeout or a client gone included, ends in completion: only then is the
        // subscription forgotten, so that what is counted is what the container still holds.
        emitter.onCompletion(() -> subscriptions.remove(subscription));
        emitter.onTimeout(emitter::complete);
        // Registered before the first read: a move after it reaches this subscription too, and a push of a newer
        // state is never overtaken by this older first message (see LiveStream.offer).
        subscriptions.add(subscription);
        long movesBefore = moves.get();
        Optional<String> now;
        try {
            now = view.render(queries, json);
        } catch (RuntimeException failure) {
            subscriptions.remove(subscription);
            throw failure;
        }
        if (now.isEmpty() || !running) {
            subscriptions.remove(subscription);
            emitter.complete();
            return now.isEmpty() ? Optional.empty() : Optional.of(emitter);
        }
        subscription.first(now.get(), movesBefore);
        return Optional.of(emitter);
    }

    /** The streams of this process whose requests have not ended yet. */
    public int subscriptions() {
        return subscriptions.size();
    }

    /** A rebuilt model replaced the live one: its rows changed without its token moving, so look again. */
    @EventListener
    synchronized void rebuilt(ProjectionRebuilt rebuilt) {
        seen = null;
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
            Map<LiveView, List<LiveStream>> byView =
                    subscriptions.stream().filter(LiveStream::open).collect(Collectors.groupingBy(LiveStream::view));
            byView.forEach((view, watchers) -> {
                try {
                    view.render(queries, json)
                            .ifPresent(state -> watchers.forEach(watcher -> watcher.offer(state, move)));
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
        subscriptions.stream().filter(LiveStream::open).forEach(LiveStream::beat);
    }

    @Override
    public synchronized void start() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ledger-live");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        senders = new ThreadPoolExecutor(
                settings.senders(),
                settings.senders(),
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                senderThreads());
        senders.allowCoreThreadTimeOut(true);
        scheduler.scheduleWithFixedDelay(
                this::poll, settings.poll().toMillis(), settings.poll().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                this::heartbeat,
                settings.heartbeat().toMillis(),
                settings.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
        running = true;
    }

    private static CustomizableThreadFactory senderThreads() {
        CustomizableThreadFactory threads = new CustomizableThreadFactory("ledger-live-send-");
        threads.setDaemon(true);
        return threads;
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
}
