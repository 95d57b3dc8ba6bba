package io.matchledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.personal.PersonalData;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.AxonTransientException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.ConcurrencyException;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.id.enhanced.SequenceStyleGenerator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/** The engine's appends and reads against Axon's own behaviour, on the H2 schema the migrations create. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class LedgerJpaEventStorageEngineTest {

    @Autowired
    EventStorageEngine engine;

    @Autowired
    PersonalData personal;

    @Autowired
    CommandGateway commands;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    EntityManagerFactory entities;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void selectsTheSameEventsAsAxonsGapQuery() {
        for (int i = 0; i < 40; i++) {
            commands.sendAndWait(new RegisterPlayerCommand("range-" + i, "Range " + i));
        }
        List<Long> stored =
                jdbc.queryForList("select global_index from domain_event_entry order by global_index", Long.class);
        assertThat(engine).isInstanceOf(LedgerJpaEventStorageEngine.class);
        long last = stored.get(stored.size() - 1);
        long first = stored.get(0);

        List<GapAwareTrackingToken> tokens = List.of(
                GapAwareTrackingToken.newInstance(last - 10, new TreeSet<>(List.of(first + 3, first + 7, last - 12))),
                GapAwareTrackingToken.newInstance(last - 1, new TreeSet<>(List.of(last - 30, last - 2))),
                GapAwareTrackingToken.newInstance(first + 5, new TreeSet<>(List.of(first))),
                GapAwareTrackingToken.newInstance(last, new TreeSet<>(List.of(last - 5))),
                GapAwareTrackingToken.newInstance(last - 20, new TreeSet<>()));
        for (GapAwareTrackingToken token : tokens) {
            List<Long> fetched = transaction.execute(status -> ((LedgerJpaEventStorageEngine) engine)
                    .fetchEvents(token).stream().map(row -> (Long) row[0]).toList());
            assertThat(fetched).as("token %s", token).isEqualTo(axonsCondition(token));
            assertThat(fetched).as("token %s selects something", token).isNotEmpty();
        }
    }

    @Test
    void readsAStreamInOrderFromAnySequenceAcrossBatches() {
        commands.sendAndWait(new RegisterPlayerCommand("stream-a", "Stream A"));
        commands.sendAndWait(new RegisterPlayerCommand("stream-b", "Stream B"));
        for (int i = 0; i < 2 * batchSize() + 10; i++) {
            commands.sendAndWait(new RegisterPlayerCommand("stream-a", "Stream A " + i));
            commands.sendAndWait(new RegisterPlayerCommand("stream-b", "Stream B " + i));
        }
        long last = 2L * batchSize() + 10;

        List<Long> fromStart = engine.readEvents("stream-a", 0)
                .asStream()
                .map(event -> event.getSequenceNumber())
                .toList();
        List<Long> fromMiddle = engine.readEvents("stream-a", batchSize() - 3L)
                .asStream()
                .map(event -> event.getSequenceNumber())
                .toList();

        assertThat(fromStart).isEqualTo(LongStream.rangeClosed(0, last).boxed().toList());
        assertThat(fromMiddle)
                .isEqualTo(
                        LongStream.rangeClosed(batchSize() - 3L, last).boxed().toList());
        assertThat(engine.readEvents("stream-a", last + 1).asStream()).isEmpty();
    }

    @Test
    void knowsTheLastSequenceNumberOfAStreamAndThatAnUnknownOneHasNone() {
        commands.sendAndWait(new RegisterPlayerCommand("last-one", "Last One"));
        commands.sendAndWait(new RegisterPlayerCommand("last-three", "Last Three"));
        commands.sendAndWait(new RegisterPlayerCommand("last-three", "Last Three again"));
        commands.sendAndWait(new RegisterPlayerCommand("last-three", "Last Three once more"));

        // In a transaction, as the command handlers ask, and outside one, as the history endpoint asks.
        assertThat(lastSequenceNumberFor("last-one")).contains(0L);
        assertThat(lastSequenceNumberFor("last-three")).contains(2L);
        assertThat(lastSequenceNumberFor("never-registered")).isEmpty();
        assertThat(engine.lastSequenceNumberFor("last-three")).contains(2L);
        assertThat(engine.lastSequenceNumberFor("never-registered")).isEmpty();
        assertThat(jdbc.queryForObject(
                        "select max(sequence_number) from domain_event_entry "
                                + "where aggregate_identifier = 'last-three'",
                        Long.class))
                .isEqualTo(2L);
    }

    @Test
    void appendsAUnitOfWorksEventsAsTheyWereWithGlobalIndexesInTheirOrder() {
        PlayerRegistered batchA = new PlayerRegistered("batch-a", personal.seal("batch-a", "Batch A"));
        PlayerRenamed batchA2 = new PlayerRenamed("batch-a", personal.seal("batch-a", "Batch A2"));
        List<EventMessage<?>> events = List.of(
                event("batch-a", 0, batchA),
                event("batch-b", 0, new PlayerRegistered("batch-b", personal.seal("batch-b", "Batch B"))),
                event("batch-a", 1, batchA2));
        transaction.executeWithoutResult(status -> engine.appendEvents(events));

        List<String> inIndexOrder = jdbc.queryForList(
                "select event_identifier from domain_event_entry where aggregate_identifier like 'batch-%' "
                        + "order by global_index",
                String.class);
        assertThat(inIndexOrder)
                .containsExactly(
                        events.stream().map(EventMessage::getIdentifier).toArray(String[]::new));
        List<DomainEventMessage<?>> streamA = engine.readEvents("batch-a", 0)
                .asStream()
                .<DomainEventMessage<?>>map(event -> event)
                .toList();
        assertThat(streamA.stream().<Object>map(DomainEventMessage::getPayload).toList())
                .containsExactly(batchA, batchA2);
        DomainEventMessage<?> first = streamA.get(0);
        assertThat(first.getIdentifier()).isEqualTo(events.get(0).getIdentifier());
        assertThat(first.getTimestamp()).isEqualTo(events.get(0).getTimestamp().truncatedTo(ChronoUnit.MILLIS));
        assertThat(first.getMetaData()).isEqualTo(events.get(0).getMetaData());
        assertThat(first.getType()).isEqualTo("Player");
    }

    @Test
    void aBatchWithATakenSequenceIsALostRaceAndLeavesNothingBehind() {
        // The batch opens a stream first (race-b at 0), where Axon would say AggregateStreamCreationException.
        transaction.executeWithoutResult(status -> engine.appendEvents(
                event("race-a", 0, new PlayerRegistered("race-a", personal.seal("race-a", "Race A")))));
        List<EventMessage<?>> late = List.of(
                event("race-b", 0, new PlayerRegistered("race-b", personal.seal("race-b", "Race B"))),
                event("race-a", 0, new PlayerRegistered("race-a", personal.seal("race-a", "Race A, again"))));
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> engine.appendEvents(late)))
                .isInstanceOf(ConcurrencyException.class);
        assertThat(jdbc.queryForObject(
                        "select count(*) from domain_event_entry "
                                + "where aggregate_identifier in ('race-a', 'race-b')",
                        Long.class))
                .isEqualTo(1L);
    }

    /**
     * An event made longer before its append than the append bound (a process frozen between deciding and appending)
     * rolls its whole append back as a transient failure: the command is decided again (ADR 0014).
     */
    @Test
    void anAppendOlderThanTheAppendBoundRollsBackAndLeavesNothingBehind() {
        Instant madeLongAgo = Instant.now().minus(Duration.ofMinutes(1));
        List<EventMessage<?>> stale = List.of(
                event("stale-a", 0, new PlayerRegistered("stale-a", personal.seal("stale-a", "Stale A"))),
                new GenericDomainEventMessage<>(
                        "Player",
                        "stale-b",
                        0,
                        new PlayerRegistered("stale-b", personal.seal("stale-b", "Stale B")),
                        MetaData.emptyInstance(),
                        UUID.randomUUID().toString(),
                        madeLongAgo));
        long before = ((LedgerJpaEventStorageEngine) engine).staleAppends();

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> engine.appendEvents(stale)))
                .isInstanceOf(StaleAppend.class)
                .isInstanceOf(AxonTransientException.class)
                .hasMessageContaining("append bound");
        assertThat(jdbc.queryForObject(
                        "select count(*) from domain_event_entry where aggregate_identifier like 'stale-%'",
                        Long.class))
                .isZero();
        assertThat(((LedgerJpaEventStorageEngine) engine).staleAppends()).isEqualTo(before + 1);
    }

    private static EventMessage<?> event(String stream, long sequence, Object payload) {
        return new GenericDomainEventMessage<>(
                "Player", stream, sequence, payload, MetaData.with("requestId", "r-" + stream + "-" + sequence));
    }

    private Optional<Long> lastSequenceNumberFor(String stream) {
        return transaction.execute(status -> engine.lastSequenceNumberFor(stream));
    }

    /** Axon's original condition, written out in SQL as the oracle. */
    private List<Long> axonsCondition(GapAwareTrackingToken token) {
        String gaps = token.getGaps().isEmpty()
                ? "-1"
                : token.getGaps().stream().map(String::valueOf).collect(Collectors.joining(","));
        return jdbc.queryForList(
                "select global_index from domain_event_entry where global_index > ? or global_index in (" + gaps
                        + ") order by global_index limit " + batchSize(),
                Long.class,
                token.getIndex());
    }

    private int batchSize() {
        return ((LedgerJpaEventStorageEngine) engine).batchSize();
    }
    /**
     * The event table's ids come one at a time from its own sequence ({@code META-INF/orm.xml}): with Hibernate's
     * pooled default each node takes 50 numbers ahead, and nodes insert out of global order (Axon #3374). Fails when
     * the mapping is lost.
     */
    @Test
    void globalIndexesComeOneAtATimeFromTheEventTablesOwnSequence() {
        var generator = entities.unwrap(SessionFactoryImplementor.class)
                .getMappingMetamodel()
                .getEntityDescriptor(DomainEventEntry.class)
                .getGenerator();
        assertThat(generator).isInstanceOf(SequenceStyleGenerator.class);
        SequenceStyleGenerator sequence = (SequenceStyleGenerator) generator;
        assertThat(sequence.getDatabaseStructure()
                        .getPhysicalName()
                        .getObjectName()
                        .getText())
                .isEqualToIgnoringCase("domain_event_entry_seq");
        assertThat(sequence.getOptimizer().getIncrementSize()).isEqualTo(1);
    }
}
