package io.matchledger.projections;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * The writes a projection collects while a streaming processor handles one batch of events, made in a few JDBC
 * batches when the batch commits (in its transaction, with its token), instead of an entity per event. Outside a unit
 * of work, a handler called on its own, each event is a batch of its own.
 */
final class ProcessorBatch {

    /** What a projection collects over a batch; {@link #write()} makes its writes, once, as the batch commits. */
    interface Writes {
        void write();
    }

    /** Parameters in one {@code IN (...)} list: far below what H2 and PostgreSQL allow, and one round trip. */
    static final int IN_LIST = 500;

    private ProcessorBatch() {}

    /** An instant as the read models' {@code timestamp with time zone} columns take it. */
    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * After a JDBC batch of updates that must each change a row (a void marks a match the same stream recorded
     * earlier): a row that is not there means the table lost data, and the batch fails loudly.
     */
    static <T> void requireEachChangedARow(int[][] counts, List<T> updates, Function<T, String> missing) {
        for (int i = 0; i < updates.size(); i++) {
            if (counts[0][i] == 0) {
                throw new IllegalStateException(missing.apply(updates.get(i)));
            }
        }
    }

    /**
     * {@code stream} and the streams (aggregate ids) of the events in the current batch, without repeats. The player projections key their rows by the player's stream,
     * so they read every row a batch will touch in one query instead of one per player.
     */
    static List<String> streamsOfThisBatchAnd(String stream) {
        Set<String> streams = new LinkedHashSet<>();
        streams.add(stream);
        if (!CurrentUnitOfWork.isStarted()) {
            return List.copyOf(streams);
        }
        UnitOfWork<?> current = CurrentUnitOfWork.get().root();
        List<? extends Message<?>> messages =
                current instanceof BatchingUnitOfWork<?> batch ? batch.getMessages() : List.of(current.getMessage());
        for (Message<?> message : messages) {
            if (message instanceof DomainEventMessage<?> event) {
                streams.add(event.getAggregateIdentifier());
            }
        }
        return List.copyOf(streams);
    }

    /** Splits {@code all} into lists of at most {@code size}, for statements with a bounded list of parameters. */
    static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += size) {
            chunks.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return chunks;
    }

    /** Runs {@code then} once the current batch has committed; at once outside a unit of work. */
    static void afterCommit(Runnable then) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(committed -> then.run());
        } else {
            then.run();
        }
    }

    /**
     * Runs {@code work} on this batch's writes under {@code key}, created by {@code create} on first use. The key names
     * the tables written, so that the live model's writes and a rebuild's never mix.
     */
    static <W extends Writes> void with(String key, Supplier<W> create, Consumer<W> work) {
        if (!CurrentUnitOfWork.isStarted()) {
            W alone = create.get();
            work.accept(alone);
            alone.write();
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        work.accept(batch.getOrComputeResource(key, absent -> {
            W writes = create.get();
            batch.onPrepareCommit(committing -> writes.write());
            return writes;
        }));
    }
}
