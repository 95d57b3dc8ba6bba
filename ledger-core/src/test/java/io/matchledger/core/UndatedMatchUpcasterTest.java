package io.matchledger.core;

import static io.matchledger.core.api.MatchResult.LOSS;
import static io.matchledger.core.api.MatchResult.WIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.Share;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events are kept for ever, so the ledger reads every form it ever wrote. Revision 1 of {@link MatchRecorded} and
 * {@link MatchSettled} was stored without a revision and could lack {@code occurredAt}; revision 2 requires it. The
 * tests store JSON exactly as a JPA or JDBC event store holds it and read it back through the upcaster chain that
 * {@link LedgerModule} registers, as the event store does for aggregates and for event processors alike.
 */
class UndatedMatchUpcasterTest {

    /** Event stores keep timestamps to the millisecond. */
    private static final Instant RECORDED = Instant.parse("2025-03-01T18:45:12.345Z");

    private static final Instant PLAYED = Instant.parse("2025-03-01T18:00:00Z");

    private final JacksonSerializer serializer = LedgerFixture.serializer();
    private EventUpcaster upcasters;

    @BeforeEach
    void theLedgersUpcasterChain() {
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer);
        new LedgerModule(
                        new WeakReferenceCache(),
                        LedgerFixture.SNAPSHOT_THRESHOLD,
                        Runnable::run,
                        LedgerFixture.RETRIES,
                        TestNames.PERSONAL)
                .configureModule(configurer);
        Configuration configuration = configurer.buildConfiguration();
        upcasters = configuration.upcasterChain();
    }

    @Test
    void aMatchRecordedWithoutOccurredAtIsDatedWhenItWasRecorded() {
        Object loaded = load(stored("Player", "lubien", MatchRecorded.class, null, """
                {"playerId":"lubien","matchId":"m-1","opponentId":"enemy","result":"WIN","points":3,"totalAfter":3}
                """));

        assertThat(loaded).isEqualTo(new MatchRecorded("lubien", "m-1", "enemy", WIN, 3, 3, RECORDED));
    }

    @Test
    void aMatchSettledWithoutOccurredAtIsDatedTheSameWay() {
        Object loaded = load(stored("Match", "match:m-1", MatchSettled.class, null, """
                {"matchId":"m-1","outcome":"WIN","players":[
                  {"playerId":"lubien","result":"WIN","points":3,"totalAfter":3},
                  {"playerId":"enemy","result":"LOSS","points":0,"totalAfter":0}]}
                """));

        assertThat(loaded)
                .isEqualTo(new MatchSettled(
                        "m-1",
                        Outcome.WIN,
                        List.of(new Share("lubien", WIN, 3, 3), new Share("enemy", LOSS, 0, 0)),
                        RECORDED));
    }

    @Test
    void anExplicitNullIsMissingToo() {
        Object loaded = load(stored("Player", "lubien", MatchRecorded.class, "1", """
                {"playerId":"lubien","matchId":"m-1","opponentId":"enemy","result":"LOSS","points":0,"totalAfter":0,
                 "occurredAt":null}
                """));

        assertThat(loaded).extracting("occurredAt").isEqualTo(RECORDED);
    }

    @Test
    void anUnrevisionedMatchThatHasOccurredAtKeepsIt() {
        // What the service wrote before revision 2 existed: a time was always set, and it must survive as it was.
        Object loaded = load(stored("Player", "lubien", MatchRecorded.class, null, """
                {"playerId":"lubien","matchId":"m-1","opponentId":"enemy","result":"WIN","points":3,"totalAfter":3,
                 "occurredAt":"2025-03-01T18:00:00Z"}
                """));

        assertThat(loaded).isEqualTo(new MatchRecorded("lubien", "m-1", "enemy", WIN, 3, 3, PLAYED));
    }

    @Test
    void whatTheCurrentCodeWritesLoadsUnchanged() {
        MatchRecorded current = new MatchRecorded("lubien", "m-1", "enemy", WIN, 3, 3, PLAYED);
        SerializedObject<byte[]> written = serializer.serialize(current, byte[].class);
        assertThat(written.getType().getRevision()).isEqualTo("2");

        Object loaded = load(new GenericDomainEventEntry<>(
                "Player",
                "lubien",
                0,
                "e-1",
                RECORDED,
                written.getType().getName(),
                "2",
                written.getData(),
                "{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(loaded).isEqualTo(current);
    }

    @Test
    void otherEventsAreNotTouched() {
        Object loaded = load(stored("Player", "lubien", PointsAdjusted.class, null, """
                {"playerId":"lubien","adjustmentId":"a-1","points":5,"reason":"bonus","totalAfter":5}
                """));

        assertThat(loaded).isEqualTo(new PointsAdjusted("lubien", "a-1", 5, "bonus", 5));
    }

    @Test
    void withoutTheUpcasterAnUndatedMatchDoesNotLoad() {
        // Revision 2 means what it says: occurredAt is required, so the upcaster above is what keeps old events
        // readable, not a lenient default somewhere else.
        upcasters = NoOpEventUpcaster.INSTANCE;

        assertThatThrownBy(() -> load(stored("Player", "lubien", MatchRecorded.class, null, """
                {"playerId":"lubien","matchId":"m-1","opponentId":"enemy","result":"WIN","points":3,"totalAfter":3}
                """)))
                .isInstanceOf(SerializationException.class);
    }

    private static GenericDomainEventEntry<byte[]> stored(
            String aggregateType, String streamId, Class<?> payloadType, String revision, String json) {
        return new GenericDomainEventEntry<>(
                aggregateType,
                streamId,
                0,
                "e-1",
                RECORDED,
                payloadType.getName(),
                revision,
                json.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private Object load(GenericDomainEventEntry<byte[]> entry) {
        List<? extends DomainEventMessage<?>> messages = EventStreamUtils.upcastAndDeserializeDomainEvents(
                        Stream.of(entry), serializer, upcasters)
                .asStream()
                .toList();
        assertThat(messages).hasSize(1);
        return messages.get(0).getPayload();
    }
}
