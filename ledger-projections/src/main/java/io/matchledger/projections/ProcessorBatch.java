package io.matchledger.projections;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.function.Consumer;
import java.util.function.Supplier;

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

    private ProcessorBatch() {
    }

    /** Runs {@code work} on this batch's writes of the given kind, created by {@code create} on first use. */
    static <W extends Writes> void with(Class<W> kind, Supplier<W> create, Consumer<W> work) {
        if (!CurrentUnitOfWork.isStarted()) {
            W alone = create.get();
            work.accept(alone);
            alone.write();
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        work.accept(batch.getOrComputeResource(kind.getName(), key -> {
            W writes = create.get();
            batch.onPrepareCommit(committing -> writes.write());
            return writes;
        }));
    }
}
