package io.matchledger.projections;

import java.util.List;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;

/**
 * A projection that can be rebuilt beside its live model: it names the tables it writes and makes a fresh copy of its
 * event handlers writing to another {@link TableSet}. Implemented by the projection itself, so a projection added later
 * is rebuilt like the others without being listed anywhere.
 */
public interface Rebuildable {

    /** The read model's name: what the admin API lists and rebuilds, and what read-your-writes waits for. */
    String name();

    /** The processing group whose processor keeps the live model (every read model's is the same one). */
    default String processingGroup() {
        ProcessingGroup group = getClass().getAnnotation(ProcessingGroup.class);
        if (group == null) {
            throw new IllegalStateException(getClass().getName() + " names no @ProcessingGroup");
        }
        return group.value();
    }

    /** The live tables, parents first: the order to fill them in (emptied in the reverse order). */
    List<String> tables();

    /**
     * Secondary indexes, by live table, that a rebuild's handlers never read: the twins are filled without them and
     * they are built once, before the swap (as the migrations name them on the live table). By default none.
     */
    default Map<String, List<String>> indexesBuiltLast() {
        return Map.of();
    }

    /** A new instance of this projection, its handlers writing to {@code tables}. */
    Object writingTo(TableSet tables);

    /**
     * The copy a rebuild runs: handlers writing to the twins ({@link TableSet#REBUILD}), which may hold rows in memory
     * across batches until the rebuild writes them ({@link HeldRows}). By default they hold nothing.
     */
    default Rebuilding rebuilding() {
        return new Rebuilding(writingTo(TableSet.REBUILD), HeldRows.NONE);
    }

    /** A rebuild's copy of a projection: its event handlers and the rows they hold. */
    record Rebuilding(Object handlers, HeldRows held) {}
}
