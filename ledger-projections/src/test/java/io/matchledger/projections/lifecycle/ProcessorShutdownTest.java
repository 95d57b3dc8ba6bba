package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The race {@link ProcessorShutdown} repairs, forced rather than waited for: the worker launcher of a one-thread
 * processor is held inside its claim of the segment until {@code shutDown()} has marked the processor stopped, so it
 * then takes the last thread for itself, sees the processor stopped, frees the segment and never gives the thread
 * back ({@code WorkerLauncher.cleanUp}, Axon 4.13.0). Axon fixed the same loss on the segment worker's path (#2293,
 * pull request #2305), not on this one.
 */
class ProcessorShutdownTest {

    private static final String NAME = "shutdown-test";

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final HeldClaims tokens = new HeldClaims();
    private final TrackingEventProcessor processor = processor();

    @AfterEach
    void stop() {
        tokens.release();
        ProcessorShutdown.shutDown(processor);
        store.shutDown();
    }

    /** When this fails, Axon gives the thread back by itself: delete {@link ProcessorShutdown}'s reflection. */
    @Test
    void axonsOwnShutDownStillLosesTheThread() throws InterruptedException {
        shutDownDuringTheClaim(TrackingEventProcessor::shutDown);

        assertThat(processor.availableProcessorThreads())
                .as(
                        "Axon %s still loses the launcher's thread",
                        TrackingEventProcessor.class.getPackage().getImplementationVersion())
                .isZero();
    }

    @Test
    void aProcessorStoppedDuringItsClaimHandlesEventsWhenStartedAgain() throws InterruptedException {
        shutDownDuringTheClaim(ProcessorShutdown::shutDown);
        assertThat(processor.availableProcessorThreads()).isEqualTo(1);

        processor.start();
        store.publish(GenericEventMessage.asEventMessage("after"));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(handled)
                        .as("events handled after the start again")
                        .contains("before", "after"));
    }

    private void shutDownDuringTheClaim(Consumer<TrackingEventProcessor> shutDown) throws InterruptedException {
        store.publish(GenericEventMessage.asEventMessage("before"));
        tokens.holdNextClaim();
        processor.start();
        assertThat(tokens.claimHeld.await(10, TimeUnit.SECONDS))
                .as("the launcher reached its claim")
                .isTrue();

        Thread stopping = new Thread(() -> shutDown.accept(processor), "stopping");
        stopping.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !processor.isRunning());
        tokens.release();
        stopping.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(stopping.isAlive()).as("shut down within 20 s").isFalse();
    }

    private TrackingEventProcessor processor() {
        Object handler = new Object() {
            @EventHandler
            void on(String event) {
                handled.add(event);
            }
        };
        return TrackingEventProcessor.builder()
                .name(NAME)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers(handler)
                        .build())
                .messageSource(store)
                .tokenStore(tokens)
                .transactionManager(NoTransactionManager.INSTANCE)
                .trackingEventProcessorConfiguration(TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andEventAvailabilityTimeout(10, TimeUnit.MILLISECONDS))
                .build();
    }

    /** A token store whose next claim waits until the test lets it go. */
    private static final class HeldClaims extends InMemoryTokenStore {

        private final AtomicBoolean holdNext = new AtomicBoolean();
        private final CountDownLatch claimHeld = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void holdNextClaim() {
            holdNext.set(true);
        }

        void release() {
            released.countDown();
        }

        @Override
        public TrackingToken fetchToken(String processorName, int segment) {
            if (holdNext.compareAndSet(true, false)) {
                claimHeld.countDown();
                boolean interrupted = false;
                while (true) {
                    try {
                        released.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the shutdown interrupts a slow worker; the claim still completes
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.fetchToken(processorName, segment);
        }
    }
}
