package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.Test;

/**
 * How a projection's writes follow Axon's unit of work ({@link ProcessorBatch}): collected over a batch and written
 * once as it commits, never when it rolls back; alone outside a unit of work; the streams a batch touches read
 * together; and the checks and limits its statements use.
 */
class ProcessorBatchTest {

    /** Writes that record when they are made. */
    static final class Recorded implements ProcessorBatch.Writes {
        final List<String> collected = new ArrayList<>();
        final List<List<String>> written;

        Recorded(List<List<String>> written) {
            this.written = written;
        }

        @Override
        public void write() {
            written.add(List.copyOf(collected));
        }
    }

    @Test
    void aBatchsWritesAreCollectedAndWrittenOnceWhenItCommits() {
        List<List<String>> written = new ArrayList<>();
        List<EventMessage<?>> batch = List.of(event("a"), event("b"));

        new BatchingUnitOfWork<>(batch).execute(() -> {
            ProcessorBatch.with("k", () -> new Recorded(written), writes -> writes.collected.add("first"));
            ProcessorBatch.with("k", () -> new Recorded(written), writes -> writes.collected.add("second"));
            ProcessorBatch.with("other", () -> new Recorded(written), writes -> writes.collected.add("apart"));
            assertThat(written).isEmpty();
        });

        // The task ran for each of the two events, into the same writes: one write per key, for the whole batch.
        assertThat(written)
                .containsExactlyInAnyOrder(List.of("first", "second", "first", "second"), List.of("apart", "apart"));
    }

    @Test
    void aBatchThatRollsBackWritesNothingAndRunsNothingAfterItsCommit() {
        List<List<String>> written = new ArrayList<>();
        List<String> after = new ArrayList<>();

        DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(event("a"));
        ProcessorBatch.with("k", () -> new Recorded(written), writes -> writes.collected.add("lost"));
        ProcessorBatch.afterCommit(() -> after.add("ran"));
        unit.rollback();

        assertThat(written).isEmpty();
        assertThat(after).isEmpty();
    }

    @Test
    void outsideAUnitOfWorkEachCallIsABatchOfItsOwn() {
        List<List<String>> written = new ArrayList<>();
        List<String> after = new ArrayList<>();

        ProcessorBatch.with("k", () -> new Recorded(written), writes -> writes.collected.add("one"));
        ProcessorBatch.with("k", () -> new Recorded(written), writes -> writes.collected.add("two"));
        ProcessorBatch.afterCommit(() -> after.add("ran"));

        assertThat(written).containsExactly(List.of("one"), List.of("two"));
        assertThat(after).containsExactly("ran");
        assertThat(ProcessorBatch.streamsOfThisBatchAnd("p")).containsExactly("p");
    }

    @Test
    void theStreamsOfABatchAreThePlayerAskedForThenEveryStreamOfItsEventsOnce() {
        List<EventMessage<?>> batch = List.of(
                domain("ann", 0), domain("bob", 0), domain("ann", 1), event("not of a stream"), domain("cid", 3));
        List<List<String>> seen = new ArrayList<>();

        new BatchingUnitOfWork<>(batch).execute(() -> seen.add(ProcessorBatch.streamsOfThisBatchAnd("bob")));
        DefaultUnitOfWork.startAndGet(domain("dan", 0))
                .execute(() -> seen.add(ProcessorBatch.streamsOfThisBatchAnd("eve")));

        // Asked while handling each of the batch's five events: the same streams every time.
        assertThat(seen.subList(0, 5)).containsOnly(List.of("bob", "ann", "cid"));
        assertThat(seen.subList(5, seen.size())).containsExactly(List.of("eve", "dan"));
    }

    @Test
    void statementsListAtMostTheirLimitAndAnUpdateThatChangedNoRowFailsTheBatch() {
        List<Integer> all = List.of(1, 2, 3, 4, 5, 6, 7);
        assertThat(ProcessorBatch.chunks(all, 3)).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
        assertThat(ProcessorBatch.chunks(List.of(), 3)).isEmpty();
        assertThat(ProcessorBatch.IN_LIST).isEqualTo(500);

        ProcessorBatch.requireEachChangedARow(new int[][] {{1, 1}}, List.of("m-1", "m-2"), id -> "lost " + id);
        assertThatThrownBy(() -> ProcessorBatch.requireEachChangedARow(
                        new int[][] {{1, 0}}, List.of("m-1", "m-2"), id -> "lost " + id))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lost m-2");
    }

    @Test
    void anInstantIsStoredAtUtc() {
        Instant at = Instant.parse("2026-12-01T10:15:30.123456789Z");
        assertThat(ProcessorBatch.timestamp(at))
                .isEqualTo(OffsetDateTime.of(2026, 12, 1, 10, 15, 30, 123456789, ZoneOffset.UTC));
        assertThat(ProcessorBatch.timestamp(null)).isNull();
    }

    private static EventMessage<?> event(String payload) {
        return GenericEventMessage.asEventMessage(payload);
    }

    private static EventMessage<?> domain(String stream, long sequence) {
        return new GenericDomainEventMessage<>("Player", stream, sequence, "event of " + stream);
    }
}
