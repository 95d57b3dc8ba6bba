package io.matchledger.api.admin;

import io.matchledger.api.positions.ReadModelProgress;
import io.matchledger.api.problems.NotFound;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The read models' streaming processors, as Axon's configuration has them: a projection added later is listed and
 * rebuilt like the others without being named here.
 * <p>
 * Positions come from the processor while it holds a segment, and otherwise from the token store, which is also the
 * only source of a <em>committed</em> position: a streaming processor stores its token in the transaction of the batch,
 * so a stored token never runs ahead of the rows it vouches for. The head and the age of the oldest unprocessed event
 * come from Axon's event store, so they hold for the JPA store and for Axon Server alike.
 */
@Component
public class Projections implements ReadModelProgress {

    private static final Logger log = LoggerFactory.getLogger(Projections.class);

    private final Configuration axon;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    /**
     * Reset and started, but no segment claimed yet. The processor reports no status at all in that moment, which
     * would read as "not replaying" and let a second rebuild through.
     */
    private final Set<String> starting = ConcurrentHashMap.newKeySet();

    /** Absent on Axon Server, where the event table it reads is empty. */
    private final InMemoryStandingsRebuild inMemory;

    public Projections(
            Configuration axon,
            EventStore eventStore,
            JdbcTemplate jdbc,
            Serializer serializer,
            ObjectProvider<InMemoryStandingsRebuild> inMemory) {
        this.axon = axon;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.inMemory = inMemory.getIfAvailable();
    }

    public List<ProjectionStatus> statuses() {
        long head = head();
        return processors().values().stream()
                .map(processor -> status(processor, head))
                .toList();
    }

    public ProjectionStatus status(String name) {
        return status(processor(name), head());
    }

    /** The projections rebuilding now; from memory only, cheap enough to ask on every dashboard read. */
    public List<String> replaying() {
        return processors().values().stream()
                .filter(processor -> replayingNow(processor) || starting.contains(processor.getName()))
                .map(EventProcessor::getName)
                .toList();
    }

    /**
     * Rebuilds the projection from the first event. The standings are rebuilt in memory and swapped in whole
     * ({@link InMemoryStandingsRebuild}); any other projection is emptied (its reset handlers) and replayed by its
     * processor, answering from the partly rebuilt model meanwhile. Commands go on either way: events appended during
     * the rebuild are processed after it, in order. Synchronized so that two requests cannot both find the projection
     * idle and start two rebuilds.
     */
    public synchronized ProjectionStatus rebuild(String name, String requestedBy) {
        StreamingEventProcessor processor = processor(name);
        if (status(processor, head()).rebuilding()) {
            throw new RebuildRefused("projection " + name + " is rebuilding already; its progress is in "
                    + "GET /api/admin/projections");
        }
        if (!processor.supportsReset()) {
            throw new RebuildRefused("projection " + name + " cannot be rebuilt: its handlers do not allow a replay");
        }
        if (inMemory != null && inMemory.appliesTo(processor)) {
            if (heldElsewhere(processor)) {
                throw new RebuildRefused("projection " + name + " is held by another process; stop it there first");
            }
            log.warn("Rebuilding projection {} in memory from the first event, requested by {}", name, requestedBy);
            inMemory.start(processor, () -> replay(processor));
        } else {
            log.warn("Rebuilding projection {} from the first event, requested by {}", name, requestedBy);
            replay(processor);
        }
        return status(processor, head());
    }

    /** Resets the processor's tokens (its reset handlers empty the model) and lets it replay every event. */
    private synchronized void replay(StreamingEventProcessor processor) {
        String name = processor.getName();
        ProcessorShutdown.shutDown(processor);
        try {
            processor.resetTokens(StreamableMessageSource::createTailToken);
            starting.add(name);
        } catch (UnableToClaimTokenException claimedElsewhere) {
            throw new RebuildRefused("projection " + name + " is held by another process; stop it there first");
        } finally {
            processor.start();
        }
    }

    /** The name of the processor that runs a processing group (by default they are the same). */
    public String processorOf(String processingGroup) {
        return axon.eventProcessingConfiguration()
                .eventProcessorByProcessingGroup(processingGroup)
                .map(EventProcessor::getName)
                .orElseThrow(() -> new IllegalStateException("no processor runs " + processingGroup));
    }

    /**
     * The global index up to which the projection has committed every event: below the first gap of each segment's
     * stored token, the lowest over all segments. 0 when it has committed nothing.
     */
    public long committedPosition(String name) {
        return storedTokens(name).values().stream()
                .mapToLong(Projections::contiguousPosition)
                .min()
                .orElse(0);
    }

    /**
     * Whether the projection of {@code processingGroup} has committed the event at {@code position} and every event
     * before it that it has seen: what a reader asking for {@code minPosition} waits for. From the processor while
     * it holds every segment here (its status moves only after a batch committed), otherwise from the token store,
     * which every process shares.
     */
    @Override
    public boolean reached(String processingGroup, long position) {
        if (position <= 0) {
            return true;
        }
        StreamingEventProcessor processor = processor(processorOf(processingGroup));
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

    private ProjectionStatus status(StreamingEventProcessor processor, long head) {
        String name = processor.getName();
        Map<Integer, EventTrackerStatus> live = processor.processingStatus();
        Map<Integer, TrackingToken> stored = storedTokens(name);
        Set<Integer> segments = new TreeSet<>(stored.keySet());
        segments.addAll(live.keySet());

        boolean replaying = replayingNow(processor) || starting.contains(name);
        long position = Long.MAX_VALUE;
        TrackingToken furthestBehind = null;
        for (int segment : segments) {
            EventTrackerStatus status = live.get(segment);
            TrackingToken token = status != null ? status.getTrackingToken() : stored.get(segment);
            long segmentPosition = status != null ? status.getCurrentPosition().orElse(0) : position(token);
            replaying |= status == null && ReplayToken.isReplay(token);
            if (segmentPosition < position) {
                position = segmentPosition;
                furthestBehind = token;
            }
        }
        if (segments.isEmpty()) {
            position = 0;
        }
        long lagEvents = Math.max(0, head - position);
        Long inMemoryProgress = inMemory == null ? null : inMemory.progress(name);
        long rebuildPosition = inMemoryProgress != null ? inMemoryProgress : replaying ? position : 0;
        ProjectionState.Condition condition = ProjectionState.of(processor);
        return new ProjectionStatus(
                name,
                position,
                head,
                lagEvents,
                lagEvents == 0 ? 0 : ageOfOldestEventAfter(furthestBehind),
                replaying,
                replaying || inMemoryProgress != null,
                rebuildPosition,
                condition.state(),
                condition.message(),
                condition.failingAt());
    }

    /** Each projection's state in this process, from the processors alone: it answers while the database is away. */
    public Map<String, ProjectionState.Condition> conditions() {
        Map<String, ProjectionState.Condition> conditions = new TreeMap<>();
        processors().forEach((name, processor) -> conditions.put(name, ProjectionState.of(processor)));
        return conditions;
    }

    private boolean replayingNow(StreamingEventProcessor processor) {
        if (!processor.processingStatus().isEmpty()) {
            starting.remove(processor.getName());
        }
        return processor.isReplaying();
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
            throw new NotFound("projection " + name);
        }
        return processor;
    }

    /** Whether another process holds a segment of the processor: only its holder may move that segment's token. */
    private boolean heldElsewhere(StreamingEventProcessor processor) {
        Set<Integer> heldHere = processor.processingStatus().keySet();
        List<Integer> claimed = jdbc.queryForList(
                "select segment from token_entry where processor_name = ? and owner is not null",
                Integer.class,
                processor.getName());
        return !heldHere.containsAll(claimed);
    }

    /** Read without claiming: the token store's own fetch would take the segment away from its processor. */
    private Map<Integer, TrackingToken> storedTokens(String name) {
        Map<Integer, TrackingToken> tokens = new HashMap<>();
        jdbc.query(
                "select segment, token, token_type from token_entry where processor_name = ?",
                row -> {
                    byte[] token = row.getBytes("token");
                    String type = row.getString("token_type");
                    tokens.put(
                            row.getInt("segment"),
                            token == null || type == null
                                    ? null
                                    : serializer.deserialize(
                                            new SimpleSerializedObject<>(token, byte[].class, type, null)));
                },
                name);
        return tokens;
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
        List<TrackingToken> tokens = storedTokens(name).values().stream()
                .map(WrappedToken::unwrapLowerBound)
                .toList();
        return index -> !tokens.isEmpty() && tokens.stream().allMatch(token -> covers(token, index));
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
