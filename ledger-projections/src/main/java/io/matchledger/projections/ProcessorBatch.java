package io.matchledger.projections;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
