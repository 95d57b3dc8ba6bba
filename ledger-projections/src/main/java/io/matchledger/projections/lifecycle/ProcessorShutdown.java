package io.matchledger.projections.lifecycle;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a processor so that it can be started again.
 * <p>
 * Axon 4.13.0's {@link TrackingEventProcessor} can lose a thread when {@code shutDown()} lands while its worker
 * launcher is handing the last segment to its own thread. {@code WorkerLauncher.cleanUp} frees the segment, but it
 * never gives the thread back. From then on the processor has no thread: every later {@code start()} reports it
 * running, yet it claims no segment and handles no event. Stopping the processors right after a restart hits it
 * (docs/performance.md, "Figures behind the code's choices"), and so would a rebuild requested just after a start. After a clean shutdown, no segment
 * is held and every thread must be free again. When the count of free threads is short, this restores it.
 */
public final class ProcessorShutdown {

    private static final Logger log = LoggerFactory.getLogger(ProcessorShutdown.class);
    /** Axon's count of free threads; null when a later Axon renamed it (then {@link #shutDown} fails loudly). */
    private static final Field AVAILABLE_THREADS = availableThreadsField();

    private ProcessorShutdown() {}

    /**
     * Shuts the processor down and waits for its threads, as {@link StreamingEventProcessor#shutDown()} does; then
     * gives back a thread Axon lost on the way.
     *
     * @throws IllegalStateException when a thread was lost and this Axon version does not let it be given back
     */
    public static void shutDown(StreamingEventProcessor processor) {
        processor.shutDown();
        if (!(processor instanceof TrackingEventProcessor tracking)) {
            return; // the pooled processor keeps no such count
        }
        // A worker that is still leaving gives its thread back within microseconds. A lost thread never comes back.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        int available = tracking.availableProcessorThreads();
        while (available < tracking.maxCapacity() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            available = tracking.availableProcessorThreads();
        }
        int lost = tracking.maxCapacity() - available;
        if (lost <= 0 || tracking.activeProcessorThreads() > 0) {
            return; // all free; or a worker outlived shutDown's timeout, and frees its thread when it ends
        }
        if (AVAILABLE_THREADS == null) {
            throw new IllegalStateException("processor " + processor.getName() + " lost " + lost + " of its "
                    + tracking.maxCapacity() + " threads when it shut down, and "
                    + "this Axon version does not let them be given back");
        }
        boolean givenBack;
        try {
            // If the count moved meanwhile, a late worker gave its thread back after all: nothing to do.
            givenBack =
                    ((AtomicInteger) AVAILABLE_THREADS.get(tracking)).compareAndSet(available, tracking.maxCapacity());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot give processor " + processor.getName() + " its threads back", e);
        }
        if (givenBack) {
            log.info(
                    "Processor {} lost {} thread(s) when it shut down (a race in Axon's worker launcher); given back",
                    processor.getName(),
                    lost);
        }
    }

    private static Field availableThreadsField() {
        try {
            Field field = TrackingEventProcessor.class.getDeclaredField("availableThreads");
            if (field.getType() != AtomicInteger.class) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
