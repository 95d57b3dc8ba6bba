package io.matchledger.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;

/** Where the service's event processors stand in the store, and the wait until they reach a position. */
final class ProjectionProgress {

    private final LedgerService service;
    private final BenchSettings settings;
    private final Progress progress;
    private final String database;

    ProjectionProgress(LedgerService service, BenchSettings settings, Progress progress, String database) {
        this.service = service;
        this.settings = settings;
        this.progress = progress;
        this.database = database;
    }

    /** The service's streaming processors by name (the read models' and the webhooks'). */
    Map<String, StreamingEventProcessor> streamingProcessors() {
        Map<String, StreamingEventProcessor> processors = new HashMap<>();
        service.bean(Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessors()
                .forEach((name, p) -> {
                    if (p instanceof StreamingEventProcessor streaming) {
                        processors.put(name, streaming);
                    }
                });
        return processors;
    }

    /** Until every processor has handled every event up to {@code head}, with a note every few seconds. */
    void awaitHead(Collection<StreamingEventProcessor> processors, long head, String what) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(settings.quick() ? 3 : 60);
        while (true) {
            long position = processors.stream()
                    .mapToLong(ProjectionProgress::position)
                    .min()
                    .orElse(head);
            if (position >= head) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not reach event " + head + ": "
                        + processors.stream()
                                .filter(p -> position(p) < head)
                                .map(ProjectionProgress::describe)
                                .toList());
            }
            progress.note(
                    database,
                    String.format(
                            Locale.ROOT,
                            "%s at %,d of %,d (%d%%)",
                            what,
                            position,
                            head,
                            100 * position / Math.max(1, head)),
                    false);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** What is known of a processor that is behind: enough to tell stopped, failing and starved apart. */
    private static String describe(StreamingEventProcessor processor) {
        String threads = processor instanceof TrackingEventProcessor tracking
                ? ", free threads " + tracking.availableProcessorThreads() + " of " + tracking.maxCapacity()
                : "";
        return processor.getName() + " at " + position(processor) + " (running " + processor.isRunning() + ", error "
                + processor.isError() + ", segments "
                + processor.processingStatus().keySet() + threads + ")";
    }

    /** The lowest position over the processor's segments; -1 while it holds none (just started). */
    private static long position(StreamingEventProcessor processor) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty()) {
            return -1;
        }
        return status.values().stream()
                .mapToLong(segment -> segment.getCurrentPosition().orElse(-1))
                .min()
                .orElse(-1);
    }
}
