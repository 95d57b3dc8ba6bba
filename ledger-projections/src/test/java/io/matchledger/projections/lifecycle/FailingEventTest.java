package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.matchledger.projections.failures.StopAtFailingEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A projection never skips an event (ADR 0006), on a real Axon tracking processor and its threads: a handler that
 * fails holds the processor at that event, the status names the read model, the event and its global index, and once
 * the cause is gone the retried event counts, once, and the processor runs again.
 */
class FailingEventTest {

    /** A read model whose handler fails on "bad" while {@link #broken}. */
    static final class Tally {
        volatile boolean broken = true;
        volatile String reason = "cannot count";
        final List<String> counted = new CopyOnWriteArrayList<>();

        @EventHandler
        void on(String event) {
            if (broken && event.startsWith("bad")) {
                throw new IllegalStateException(reason + " " + event);
            }
            counted.add(event);
        }
    }

    Configuration axon;

    @AfterEach
    void stop() {
        if (axon != null) {
            axon.shutdown();
        }
    }

    private StreamingEventProcessor start(Tally tally) {
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
        configurer
                .eventProcessing()
                .registerTrackingEventProcessor("tally")
                .registerTokenStore("tally", c -> new InMemoryTokenStore())
                .registerEventHandler(c -> tally)
                .byDefaultAssignTo("tally");
        new StopAtFailingEvent().configureModule(configurer);
        axon = configurer.start();
        return axon.eventProcessingConfiguration()
                .eventProcessor("tally", StreamingEventProcessor.class)
                .orElseThrow();
    }

    @Test
    void aFailingEventHoldsTheProcessorThereNamedInItsStatusUntilItsCauseIsGone() {
        Tally tally = new Tally();
        StreamingEventProcessor processor = start(tally);
        EventMessage<?> bad = GenericEventMessage.asEventMessage("bad one");
        axon.eventBus().publish(GenericEventMessage.asEventMessage("good"), bad);
        axon.eventBus().publish(GenericEventMessage.asEventMessage("after"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProjectionState.of(processor).state() == ProjectionState.FAILING);
        ProjectionState.Condition failing = ProjectionState.of(processor);
        assertThat(failing.message())
                .isEqualTo("Tally failed on String " + bad.getIdentifier() + " at global index 1: "
                        + "java.lang.IllegalStateException: cannot count bad one");
        assertThat(failing.failingAt()).isEqualTo(1L);
        // Nothing past the failing event.
        assertThat(tally.counted).containsExactly("good");

        tally.broken = false;

        await().atMost(Duration.ofSeconds(30)).until(() -> tally.counted.size() == 3);
        assertThat(tally.counted).containsExactly("good", "bad one", "after");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProjectionState.of(processor).state() == ProjectionState.RUNNING);
        assertThat(ProjectionState.of(processor).message()).isNull();
        assertThat(ProjectionState.of(processor).failingAt()).isNull();

        processor.shutDown();
        assertThat(ProjectionState.of(processor).state()).isEqualTo(ProjectionState.STOPPED);
        assertThat(ProjectionState.of(processor).error()).isEmpty();
    }

    @Test
    void aLongCauseIsCutForTheOperatorAfterFiveHundredCharacters() {
        Tally tally = new Tally();
        tally.reason = "x".repeat(600);
        StreamingEventProcessor processor = start(tally);
        axon.eventBus().publish(GenericEventMessage.asEventMessage("bad"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProjectionState.of(processor).state() == ProjectionState.FAILING);

        String message = ProjectionState.of(processor).message();
        assertThat(message).hasSize(503).startsWith("Tally failed on String ").endsWith("xxx...");
        assertThat(ProjectionState.of(processor).failingAt()).isZero();
    }

    @Test
    void aCauseOfFiveHundredCharactersIsShownWhole() {
        String prefix = IllegalStateException.class.getName() + ": ";
        ProjectionState.Condition failing = new ProjectionState.Condition(
                ProjectionState.FAILING,
                java.util.Optional.of(new IllegalStateException("x".repeat(500 - prefix.length()))));

        assertThat(failing.message()).hasSize(500).endsWith("xxx");
        assertThat(failing.failingAt()).isNull();
    }
}
