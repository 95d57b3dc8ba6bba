package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.personal.PersonalData;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.IdentifierFactory;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A given/when/expect fixture for the commands that write several streams in one unit of work, which Axon's
 * {@code AggregateTestFixture} cannot check (it refuses events of a second aggregate).
 * <p>
 * It runs the real Axon configuration with {@link LedgerModule}, over an in-memory event store, and records exactly
 * the events each command appended, in the order the store received them. Register it per test with
 * {@code @RegisterExtension}: every test gets a fresh store, a fixed clock, and its configuration is shut down after.
 */
public class LedgerFixture implements BeforeEachCallback, AfterEachCallback {

    /** The time every event is stamped with, unless a test moves the clock. */
    public static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    /** Small, so that a handful of matches takes a snapshot. */
    public static final int SNAPSHOT_THRESHOLD = 3;

    /**
     * The service's retry policy (the builder's defaults), on a thread of its own. An in-memory store in one process
     * seldom sees a lost race, but a fixture sends commands through the same gateway as the service does.
     */
    static final RetryScheduler RETRIES = JitteredRetryScheduler.builder()
            .retryExecutor(Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "fixture-command-retry");
                thread.setDaemon(true);
                return thread;
            }))
            .build();

    private Clock originalClock;
    private JsonSnapshotStorage storage;
    private Cache cache;
    private Configuration configuration;

    private List<EventMessage<?>> appended = List.of();
    private Object result;
    private Throwable failure;

    /** The serializer of the service, configured like the production one: snapshots must survive field changes. */
    public static JacksonSerializer serializer() {
        return JacksonSerializer.builder()
                .objectMapper(objectMapper())
                .lenientDeserialization()
                .build();
    }

    public static ObjectMapper objectMapper() {
        return new ObjectMapper()
                .findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        originalClock = GenericEventMessage.clock;
        clockAt(NOW);
        storage = new JsonSnapshotStorage(serializer());
        configuration = startAxon();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (configuration != null) {
                configuration.shutdown();
            }
        } finally {
            GenericEventMessage.clock = originalClock;
        }
    }

    private Configuration startAxon() {
        Serializer serializer = serializer();
        cache = new WeakReferenceCache();
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> storage);
        // A ConfigurerModule, as Spring Boot applies it; the direct executor takes snapshots before the command
        // returns.
        LedgerModule ledger = new LedgerModule(cache, SNAPSHOT_THRESHOLD, Runnable::run, RETRIES, TestNames.PERSONAL);
        ledger.configureModule(configurer);
        // The Player's handlers take it as a parameter, as the service's take the Spring bean.
        configurer.registerComponent(PersonalData.class, c -> TestNames.PERSONAL);
        configurer.registerComponent(CommandGateway.class, c -> ledger.commandGateway(c.commandBus()));
        return configurer.start();
    }

    /**
     * Stops this process and starts a new one on the same event store: nothing survives but what was stored, as
     * after a deployment. The cache of ledgers starts empty, so players load from snapshots and events.
     */
    public LedgerFixture restart() {
        configuration.shutdown();
        configuration = startAxon();
        return this;
    }

    /** Moves the clock that stamps events (and that a match without occurredAt is dated with). */
    public LedgerFixture clockAt(Instant instant) {
        GenericEventMessage.clock = Clock.fixed(instant, ZoneOffset.UTC);
        return this;
    }

    /**
     * Appends events to a stream as if earlier commands had written them: "lubien" is a player's ledger,
     * "match:m-1" and "adjustment:a-1" are key streams.
     */
    public LedgerFixture given(String streamId, Object... events) {
        givenElsewhere(streamId, events);
        // A ledger cached by an earlier command would not see these events; a real store is never written behind
        // the back of the process, so forget it.
        cache.removeAll();
        return this;
    }

    /**
     * Appends the events as another process sharing the store would: behind this process's back, so that a ledger it
     * has cached is now behind the store.
     */
    public LedgerFixture givenElsewhere(String streamId, Object... events) {
        long next =
                storage.lastSequenceNumberFor(streamId).map(last -> last + 1).orElse(0L);
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (Object event : events) {
            messages.add(new GenericDomainEventMessage<>(aggregateType(streamId), streamId, next++, event));
        }
        eventStore().publish(messages);
        return this;
    }

    private static String aggregateType(String streamId) {
        if (streamId.startsWith(Match.streamId(""))) {
            return Match.class.getSimpleName();
        }
        if (streamId.startsWith(Adjustment.streamId(""))) {
            return Adjustment.class.getSimpleName();
        }
        return Player.class.getSimpleName();
    }

    /**
     * Stores a player snapshot as JSON, as an older or newer version of the service may have written it, taken after
     * the event with the given sequence number.
     */
    public LedgerFixture givenPlayerSnapshot(String playerId, long sequenceNumber, String json) {
        storage.storeSnapshotJson(
                Player.class.getSimpleName(),
                playerId,
                sequenceNumber,
                new SimpleSerializedObject<>(
                        json.getBytes(StandardCharsets.UTF_8), byte[].class, Player.class.getName(), "1"));
        cache.removeAll();
        return this;
    }

    /** Sends the command through the command gateway and records its answer and the events it appended. */
    public LedgerFixture when(Object command) {
        int before = allEvents().size();
        result = null;
        failure = null;
        try {
            result = configuration.commandGateway().sendAndWait(command);
        } catch (Throwable t) {
            failure = t;
        }
        List<EventMessage<?>> all = allEvents();
        appended = List.copyOf(all.subList(before, all.size()));
        return this;
    }

    public LedgerFixture expectEvents(Object... payloads) {
        expectSuccess();
        assertThat(appendedPayloads()).as("events appended by the command").containsExactly(payloads);
        return this;
    }

    /** The streams the appended events went to, in order. */
    public LedgerFixture expectStreams(String... streamIds) {
        expectSuccess();
        assertThat(appended)
                .as("streams written by the command")
                .map(event -> ((DomainEventMessage<?>) event).getAggregateIdentifier())
                .containsExactly(streamIds);
        return this;
    }

    public LedgerFixture expectNoEvents() {
        assertThat(appendedPayloads()).as("events appended by the command").isEmpty();
        return this;
    }

    public LedgerFixture expectResult(Object expected) {
        expectSuccess();
        assertThat(result).as("the command's answer").isEqualTo(expected);
        return this;
    }

    /** The command was refused for this reason, and nothing at all was written. */
    public LedgerFixture expectRefusal(LedgerRefusal.Reason reason) {
        LedgerRefusal refusal = refusal()
                .orElseGet(() -> fail(
                        "expected a refusal for " + reason + ", but the command "
                                + (failure != null
                                        ? "threw " + failure
                                        : "answered " + result + " and appended " + appendedPayloads()),
                        failure));
        assertThat(refusal.reason())
                .as("the reason of the refusal: " + refusal.getMessage())
                .isEqualTo(reason);
        return expectNoEvents();
    }

    private void expectSuccess() {
        if (failure != null) {
            fail("the command failed: " + failure, failure);
        }
    }

    /**
     * Through the gateway a refusal arrives as itself (see {@code MatchRulesTest}); the causes are searched anyway, so
     * that a wrapper added by another command bus would not pass for a different failure.
     */
    private Optional<LedgerRefusal> refusal() {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LedgerRefusal refusal) {
                return Optional.of(refusal);
            }
        }
        return Optional.empty();
    }

    /** The events the last command appended, with their metadata, in the order the store received them. */
    public List<EventMessage<?>> appended() {
        return appended;
    }

    /** The answer of the last command, to compare with a later one. */
    @SuppressWarnings("unchecked")
    public <T> T result() {
        expectSuccess();
        return (T) result;
    }

    /** What the last command threw, exactly as the gateway threw it. */
    public Throwable failure() {
        return failure;
    }

    /** The payloads of a stream's events, in order, without snapshots. */
    public List<Object> eventsOf(String streamId) {
        return storage.readEvents(streamId)
                .asStream()
                .map(EventMessage::getPayload)
                .map(Object.class::cast)
                .toList();
    }

    /** The stream as the repository reads it: the latest snapshot, if any, then the events after it. */
    public List<DomainEventMessage<?>> streamAsLoaded(String streamId) {
        return eventStore()
                .readEvents(streamId)
                .asStream()
                .<DomainEventMessage<?>>map(e -> e)
                .toList();
    }

    public Optional<DomainEventMessage<?>> snapshotOf(String streamId) {
        return storage.readSnapshot(streamId);
    }

    public EventStore eventStore() {
        return configuration.eventStore();
    }

    private List<Object> appendedPayloads() {
        return appended.stream()
                .map(EventMessage::getPayload)
                .map(Object.class::cast)
                .toList();
    }

    private List<EventMessage<?>> allEvents() {
        return storage.readEvents(null, false).<EventMessage<?>>map(e -> e).toList();
    }

    /**
     * The in-memory engine keeps a snapshot as the very aggregate object it was taken from, and loading hands out
     * that object, which the next events then change: a second load would count those events twice. A real store
     * serializes snapshots; so does this one, with the service's serializer, which also puts Jackson to the test.
     */
    static final class JsonSnapshotStorage extends InMemoryEventStorageEngine {

        private record StoredSnapshot(
                String type,
                String aggregateIdentifier,
                long sequenceNumber,
                String messageIdentifier,
                Instant timestamp,
                Map<String, ?> metaData,
                SerializedObject<byte[]> payload) {}

        private final Serializer serializer;
        private final Map<String, List<StoredSnapshot>> snapshots = new ConcurrentHashMap<>();

        JsonSnapshotStorage(Serializer serializer) {
            this.serializer = serializer;
        }

        /**
         * All or nothing, and refused when an event takes a (stream, sequence) that is taken already, as the unique key
         * of a real store refuses it: a writer whose ledger was behind the store loses.
         */
        @Override
        public synchronized void appendEvents(List<? extends EventMessage<?>> events) {
            Map<String, Long> next = new HashMap<>();
            for (EventMessage<?> event : events) {
                if (event instanceof DomainEventMessage<?> domain) {
                    String stream = domain.getAggregateIdentifier();
                    long expected = next.computeIfAbsent(
                            stream,
                            id -> lastSequenceNumberFor(id)
                                    .map(last -> last + 1)
                                    .orElse(0L));
                    if (domain.getSequenceNumber() < expected) {
                        throw new ConcurrencyException(
                                "event " + domain.getSequenceNumber() + " of " + stream + " is in the store already");
                    }
                    next.put(stream, domain.getSequenceNumber() + 1);
                }
            }
            super.appendEvents(events);
        }

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            StoredSnapshot stored = new StoredSnapshot(
                    snapshot.getType(),
                    snapshot.getAggregateIdentifier(),
                    snapshot.getSequenceNumber(),
                    snapshot.getIdentifier(),
                    snapshot.getTimestamp(),
                    snapshot.getMetaData(),
                    serializer.serialize(snapshot.getPayload(), byte[].class));
            snapshots
                    .computeIfAbsent(snapshot.getAggregateIdentifier(), id -> new CopyOnWriteArrayList<>())
                    .add(stored);
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            Optional<StoredSnapshot> found = snapshots.getOrDefault(aggregateIdentifier, List.of()).stream()
                    .max(Comparator.comparingLong(StoredSnapshot::sequenceNumber));
            if (found.isEmpty()) {
                return Optional.empty();
            }
            StoredSnapshot latest = found.get();
            // A payload that cannot be read throws here; Axon then logs it and loads the ledger from all its events.
            Object payload = serializer.deserialize(latest.payload());
            return Optional.of(new GenericDomainEventMessage<>(
                    latest.type(),
                    latest.aggregateIdentifier(),
                    latest.sequenceNumber(),
                    payload,
                    latest.metaData(),
                    latest.messageIdentifier(),
                    latest.timestamp()));
        }

        void storeSnapshotJson(
                String type, String aggregateIdentifier, long sequenceNumber, SerializedObject<byte[]> payload) {
            String messageIdentifier = IdentifierFactory.getInstance().generateIdentifier();
            snapshots
                    .computeIfAbsent(aggregateIdentifier, id -> new CopyOnWriteArrayList<>())
                    .add(new StoredSnapshot(
                            type,
                            aggregateIdentifier,
                            sequenceNumber,
                            messageIdentifier,
                            GenericEventMessage.clock.instant(),
                            Map.of(),
                            payload));
        }
    }
}
