package io.matchledger.projections.lifecycle;

import io.matchledger.projections.Rebuildable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The read models and the streaming processor that keeps them (ADR 0018), and their lifecycle in one place: where each
 * stands, how far behind the store, whether it runs, and its rebuild ({@link ProjectionRebuilds}). A read model is
 * known by its name ({@link Rebuildable#name()}); a projection added later is listed like the others without being
 * named here.
 * <p>
 * Positions come from the processor while it holds a segment, and otherwise from the token store
 * ({@link TokenStoreView}), which is also the only source of a <em>committed</em> position. The head and the age of
 * the oldest unprocessed event come from Axon's event store, so they hold for the JPA store and for Axon Server alike.
 */
@Component
public class Projections {

    private static final Logger log = LoggerFactory.getLogger(Projections.class);

    private final Configuration axon;
    private final EventStore eventStore;
    private final TokenStoreView tokens;
    private final ProjectionRebuilds rebuilds;
    private final Map<String, Rebuildable> readModels = new TreeMap<>();

    public Projections(
            Configuration axon,
            EventStore eventStore,
            TokenStoreView tokens,
            ProjectionRebuilds rebuilds,
            List<Rebuildable> readModels) {
        this.axon = axon;
        this.eventStore = eventStore;
        this.tokens = tokens;
        this.rebuilds = rebuilds;
        readModels.forEach(model -> this.readModels.put(model.name(), model));
    }

    public List<ProjectionStatus> statuses() {
        long head = head();
        return names().stream().map(name -> status(name, head)).toList();
    }

    public ProjectionStatus status(String name) {
        return status(name, head());
    }

    private ProjectionStatus status(String name, long head) {
        return status(name, processor(processorOf(name)), head);
    }

    /**
     * Rebuilds the projection from the first event beside the live model, which readers go on reading until the
     * rebuilt one replaces it whole ({@link ProjectionRebuilds}). Commands go on meanwhile.
     *
     * @throws UnknownProjection when no projection has that name
     * @throws RebuildRefused while it is rebuilding already, or while another process holds its processor
     */
    public ProjectionStatus rebuild(String name, String requestedBy) {
        StreamingEventProcessor processor = processor(processorOf(name));
        log.warn("Rebuild of projection {} requested by {}", name, requestedBy);
        rebuilds.start(name, processor);
        return status(name, processor, head());
    }

    /**
     * What is listed: every read model, and every other streaming processor by its own name (the webhooks', ADR
     * 0017), for its lag and state; only read models are rebuilt.
     */
    private Set<String> names() {
        Set<String> names = new TreeSet<>(readModels.keySet());
        Set<String> keepingReadModels = readModelProcessors();
        processors().keySet().stream()
                .filter(processor -> !keepingReadModels.contains(processor))
                .forEach(names::add);
        return names;
    }

    /** The name of the processor that keeps the read model {@code name}; a processor's own name otherwise. */
    public String processorOf(String name) {
        Rebuildable model = readModels.get(name);
        if (model == null) {
            if (processors().containsKey(name) && !readModelProcessors().contains(name)) {
                return name;
            }
            throw new UnknownProjection(name);
        }
        return axon.eventProcessingConfiguration()
                .eventProcessorByProcessingGroup(model.processingGroup())
                .map(EventProcessor::getName)
                .orElseThrow(() -> new IllegalStateException("no processor runs " + model.processingGroup()));
    }

    /**
     * The global index up to which the streaming processor {@code processor} has committed every event: below the
     * first gap of each segment's stored token, the lowest over all segments. 0 when it has committed nothing.
     */
    public long committedPosition(String processor) {
        return tokens.tokens(processor).values().stream()
                .mapToLong(stored -> contiguousPosition(stored.token()))
                .min()
                .orElse(0);
    }

    /**
     * Whether the read model {@code name} has committed the event at {@code position} and every event before it that
     * it has seen: what a reader asking for {@code minPosition} waits for. From the processor while it holds every
     * segment here (its status moves only after a batch committed), otherwise from the token store, which every
     * process shares.
     */
    public boolean reached(String name, long position) {
        if (position <= 0) {
            return true;
        }
        StreamingEventProcessor processor = processor(processorOf(name));
        Map<Integer, EventTrackerStatus> live = processor.processingStatus();
        double share = live.values().stream()
                .mapToDouble(status -> 1.0 / (status.getSegment().getMask() + 1))
                .sum();
        if (!live.isEmpty() && share >= 1.0) {
            return live.values().stream()
                    .allMatch(status -> !status.isErrorState()
                            && covers(WrappedToken.unwrapLowerBound(status.getTrackingToken()), position));
        }
        return committedEvents(processor.getName()).test(position);
    }

    /** The global position of the newest event; 0 when there is none. */
    public long head() {
        return position(eventStore.createHeadToken());
    }

    private ProjectionStatus status(String name, StreamingEventProcessor processor, long head) {
        Map<Integer, EventTrackerStatus> live = processor.processingStatus();
        Map<Integer, TokenStoreView.StoredToken> stored = tokens.tokens(processor.getName());
        Set<Integer> segments = new TreeSet<>(stored.keySet());
        segments.addAll(live.keySet());

        boolean replaying = processor.isReplaying();
        long position = Long.MAX_VALUE;
        TrackingToken furthestBehind = null;
        for (int segment : segments) {
            EventTrackerStatus status = live.get(segment);
            TrackingToken token = status != null
                    ? status.getTrackingToken()
                    : stored.get(segment).token();
            long segmentPosition = status != null ? status.getCurrentPosition().orElse(0) : position(token);
            replaying |= status == null && org.axonframework.eventhandling.ReplayToken.isReplay(token);
            if (segmentPosition < position) {
                position = segmentPosition;
                furthestBehind = token;
            }
        }
        if (segments.isEmpty()) {
            position = 0;
        }
        long lagEvents = Math.max(0, head - position);
        OptionalLong rebuild = rebuilds.progress(name);
        long rebuildPosition = rebuild.isPresent() ? rebuild.getAsLong() : replaying ? position : 0;
        ProjectionState.Condition condition = ProjectionState.of(processor);
        return new ProjectionStatus(
                name,
                position,
                head,
                lagEvents,
                lagEvents == 0 ? 0 : ageOfOldestEventAfter(furthestBehind),
                replaying,
                replaying || rebuild.isPresent(),
                rebuildPosition,
                condition.state(),
                condition.message(),
                condition.failingAt());
    }

    /** Each read model's state in this process, from the processor alone: it answers while the database is away. */
    public Map<String, ProjectionState.Condition> conditions() {
        Map<String, ProjectionState.Condition> conditions = new TreeMap<>();
        names().forEach(name -> conditions.put(name, ProjectionState.of(processor(processorOf(name)))));
        return conditions;
    }

    /**
     * Seconds since the oldest event the projection has not processed was recorded: the first event a stream opened
     * at its token hands out, which includes a write that committed late into a gap of the token.
     */
    private long ageOfOldestEventAfter(TrackingToken token) {
        try (BlockingStream<TrackedEventMessage<?>> stream =
                eventStore.openStream(WrappedToken.unwrapLowerBound(token))) {
            if (!stream.hasNextAvailable(1, TimeUnit.SECONDS)) {
                return 0;
            }
            return Math.max(
                    0,
                    Duration.between(stream.nextAvailable().getTimestamp(), Instant.now())
                            .toSeconds());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Set<String> readModelProcessors() {
        Set<String> groups = new TreeSet<>();
        readModels.values().forEach(model -> groups.add(model.processingGroup()));
        return groups;
    }

    private Map<String, StreamingEventProcessor> processors() {
        Map<String, StreamingEventProcessor> streaming = new TreeMap<>();
        axon.eventProcessingConfiguration().eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor tracking) {
                streaming.put(name, tracking);
            }
        });
        return streaming;
    }

    private StreamingEventProcessor processor(String name) {
        StreamingEventProcessor processor = processors().get(name);
        if (processor == null) {
            throw new UnknownProjection(name);
        }
        return processor;
    }

    private static long position(TrackingToken token) {
        if (token == null) {
            return 0;
        }
        OptionalLong position = token.position();
        return position.orElse(0);
    }

    /**
     * Which events the processor had committed, as its stored tokens say: an index at or below a token's position
     * and not one of its gaps. A position alone would not do: a rolled-back write leaves a gap that never fills, and
     * every event after it would look unprocessed until Axon gives up on the gap.
     */
    public LongPredicate committedEvents(String name) {
        List<TrackingToken> stored = tokens.tokens(name).values().stream()
                .map(token -> WrappedToken.unwrapLowerBound(token.token()))
                .toList();
        return index -> !stored.isEmpty() && stored.stream().allMatch(token -> covers(token, index));
    }

    private static boolean covers(TrackingToken token, long index) {
        if (token instanceof GapAwareTrackingToken gapAware) {
            return index <= gapAware.getIndex() && !gapAware.getGaps().contains(index);
        }
        return token != null && index <= position(token);
    }

    private static long contiguousPosition(TrackingToken token) {
        TrackingToken lower = WrappedToken.unwrapLowerBound(token);
        if (lower instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getGaps().isEmpty()
                    ? gapAware.getIndex()
                    : gapAware.getGaps().first() - 1;
        }
        return position(lower);
    }
}
