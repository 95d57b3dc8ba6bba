package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tracking processor stopped at any moment after it started can be started again, and handles events. With Axon's
 * own {@code shutDown()} in its place this test fails within the first rounds (rounds 1 and 6 in one run): a thread
 * is lost, and the processor never handles an event again.
 */
class ProcessorShutdownTest {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private TrackingEventProcessor processor;

    @AfterEach
    void stop() {
        if (processor != null) {
            ProcessorShutdown.shutDown(processor);
        }
        store.shutDown();
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void aProcessorStoppedJustAfterItStartedHandlesEventsWhenStartedAgain(int threads) {
        processor = processor(threads);
        for (int i = 0; i < 10; i++) {
            store.publish(GenericEventMessage.asEventMessage("before-" + i));
        }
        for (int round = 0; round < 100; round++) {
            processor.start();
            // Stop at a different moment of the start each round: at once, or up to 0.6 ms into it.
            LockSupport.parkNanos((round % 7) * 100_000L);
            ProcessorShutdown.shutDown(processor);
            assertThat(processor.availableProcessorThreads())
                    .as("free threads after round %d", round)
                    .isEqualTo(threads);
        }

        processor.start();
        store.publish(GenericEventMessage.asEventMessage("after"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!handled.contains("after") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertThat(handled).as("events handled after the last start").contains("after", "before-9");
    }

    private TrackingEventProcessor processor(int threads) {
        Object handler = new Object() {
            @EventHandler
            void on(String event) {
                handled.add(event);
            }
        };
        return TrackingEventProcessor.builder()
                .name("shutdown-test")
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers(handler)
                        .build())
                .messageSource(store)
                .tokenStore(new InMemoryTokenStore())
                .transactionManager(NoTransactionManager.INSTANCE)
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forParallelProcessing(threads)
                        .andInitialSegmentsCount(1)
                        // shutDown waits for a worker
                        // polling for events this long
                        .andEventAvailabilityTimeout(10, TimeUnit.MILLISECONDS))
                .build();
    }
}
