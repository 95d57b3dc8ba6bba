package io.matchledger.api.config;

import io.matchledger.core.api.RegisterPlayerCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded query must select exactly the rows of Axon's own "after the token or in a gap" condition. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
class RangeBoundedJpaEventStorageEngineTest {

    @Autowired
    EventStorageEngine engine;
    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void selectsTheSameEventsAsAxonsGapQuery() {
        for (int i = 0; i < 40; i++) {
            commands.sendAndWait(new RegisterPlayerCommand("range-" + i, "Range " + i));
        }
        List<Long> stored = jdbc.queryForList("select global_index from domain_event_entry order by global_index",
                                              Long.class);
        assertThat(engine).isInstanceOf(RangeBoundedJpaEventStorageEngine.class);
        long last = stored.get(stored.size() - 1);
        long first = stored.get(0);

        List<GapAwareTrackingToken> tokens = List.of(
                GapAwareTrackingToken.newInstance(last - 10, new TreeSet<>(List.of(first + 3, first + 7, last - 12))),
                GapAwareTrackingToken.newInstance(last - 1, new TreeSet<>(List.of(last - 30, last - 2))),
                GapAwareTrackingToken.newInstance(first + 5, new TreeSet<>(List.of(first))),
                GapAwareTrackingToken.newInstance(last, new TreeSet<>(List.of(last - 5))),
                GapAwareTrackingToken.newInstance(last - 20, new TreeSet<>()));
        for (GapAwareTrackingToken token : tokens) {
            List<Long> fetched = transaction.execute(
                    status -> ((RangeBoundedJpaEventStorageEngine) engine).fetchEvents(token).stream()
                                                                          .map(row -> (Long) row[0])
                                                                          .toList());
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

        List<Long> fromStart = engine.readEvents("stream-a", 0).asStream()
                                     .map(event -> event.getSequenceNumber()).toList();
        List<Long> fromMiddle = engine.readEvents("stream-a", batchSize() - 3L).asStream()
                                      .map(event -> event.getSequenceNumber()).toList();

        assertThat(fromStart).isEqualTo(LongStream.rangeClosed(0, last).boxed().toList());
        assertThat(fromMiddle).isEqualTo(LongStream.rangeClosed(batchSize() - 3L, last).boxed().toList());
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
        assertThat(jdbc.queryForObject("select max(sequence_number) from domain_event_entry "
                                               + "where aggregate_identifier = 'last-three'", Long.class)).isEqualTo(2L);
    }

    private Optional<Long> lastSequenceNumberFor(String stream) {
        return transaction.execute(status -> engine.lastSequenceNumberFor(stream));
    }

    /** Axon's original condition, written out in SQL as the oracle. */
    private List<Long> axonsCondition(GapAwareTrackingToken token) {
        String gaps = token.getGaps().isEmpty() ? "-1"
                                                : token.getGaps().stream().map(String::valueOf)
                                                       .collect(Collectors.joining(","));
        return jdbc.queryForList("select global_index from domain_event_entry where global_index > ? or global_index in ("
                                         + gaps + ") order by global_index limit " + batchSize(),
                                 Long.class, token.getIndex());
    }

    private int batchSize() {
        return ((RangeBoundedJpaEventStorageEngine) engine).batchSize();
    }
}
