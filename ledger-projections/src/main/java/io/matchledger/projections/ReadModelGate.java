package io.matchledger.projections;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Readers of the read models pass it together; a rebuild's swap passes it alone, for the moment its twin tables and
 * the live ones trade names. On PostgreSQL the renames are one transaction and no reader could see them half done
 * anyway; on H2 each rename commits on its own, so without the gate a reader between two renames would find a table
 * missing, or the new standings beside the old tallies. H2 is embedded, so every reader is in this process: the
 * query handlers (through {@code GatedQueries}) and the audit's verification, the only reader outside the query bus.
 */
@Component
public class ReadModelGate {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Runs a read of the read models; it waits only while a swap is under way (milliseconds). */
    public <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code swap} once no read is under way, and lets none start until it is done. */
    public void alone(Runnable swap) {
        lock.writeLock().lock();
        try {
            swap.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
