package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.projections.api.ReadModelRepair;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.junit.jupiter.api.Test;

/**
 * Which segment of the read models' processor an event goes to ({@link ReadModels#SEQUENCING}), on events as a
 * processor reads them from the store: serialised, deserialised only when asked. Every segment's thread asks for every
 * event it reads, so the answer must come from the stored type and stream, not from the payload.
 */
class ReadModelsSequencingTest {

    /** Axon's Jackson serializer, counting what it deserialises. */
    static final class Counting extends JacksonSerializer {
        final AtomicInteger deserialised = new AtomicInteger();

        Counting() {
            super(JacksonSerializer.builder().objectMapper(new ObjectMapper().findAndRegisterModules()));
        }

        @Override
        public <S, T> T deserialize(SerializedObject<S> serialized) {
            deserialised.incrementAndGet();
            return super.deserialize(serialized);
        }
    }

    final Counting serializer = new Counting();
    final Instant at = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void aPlayersLedgerEventGoesToThePlayerWithoutItsPayloadRead() {
        TrackedEventMessage<?> recorded =
                stored("Player", "ann", new MatchRecorded("ann", "m-1", "bob", MatchResult.WIN, 3, 3, at));

        assertThat(ReadModels.SEQUENCING.getSequenceIdentifierFor(recorded)).isEqualTo("ann");
        assertThat(serializer.deserialised).as("payloads deserialised").hasValue(0);
    }

    @Test
    void anEventOfAnyOtherStreamGoesToTheLedgerWideSegment() {
        TrackedEventMessage<?> matchEvent =
                stored("Match", "m-1", new MatchRecorded("ann", "m-1", "bob", MatchResult.WIN, 3, 3, at));

        assertThat(ReadModels.SEQUENCING.getSequenceIdentifierFor(matchEvent)).isEqualTo(ReadModels.LEDGER_WIDE);
        assertThat(serializer.deserialised).hasValue(0);
    }

    @Test
    void aRepairGoesInOrderWithWhatItRepairs() {
        TrackedEventMessage<?> ofAPlayer = stored("Repairs", "r-1", new ReadModelRepair("ann", null, "total 3 != 4"));
        TrackedEventMessage<?> ofAMatch = stored("Repairs", "r-2", new ReadModelRepair(null, "m-1", "missing"));

        assertThat(ReadModels.SEQUENCING.getSequenceIdentifierFor(ofAPlayer)).isEqualTo("ann");
        assertThat(ReadModels.SEQUENCING.getSequenceIdentifierFor(ofAMatch)).isEqualTo(ReadModels.LEDGER_WIDE);
    }

    /** The event as a processor reads it back from the store. */
    private TrackedEventMessage<?> stored(String type, String streamId, Object payload) {
        DomainEventEntry entry =
                new DomainEventEntry(new GenericDomainEventMessage<>(type, streamId, 0, payload), serializer);
        serializer.deserialised.set(0);
        return EventUtils.upcastAndDeserializeTrackedEvents(
                        Stream.of(new TrackedDomainEventData<>(new GlobalSequenceTrackingToken(1), entry)),
                        serializer,
                        NoOpEventUpcaster.INSTANCE)
                .findFirst()
                .orElseThrow();
    }
}
