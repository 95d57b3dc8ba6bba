package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.matchledger.projections.HandBuiltProjections;
import io.matchledger.projections.MigratedH2;
import io.matchledger.projections.ReadModels;
import io.matchledger.projections.StandingsProjection;
import java.time.Duration;
import java.util.List;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Projections} over a real Axon configuration without Spring: a read model whose processor the wiring left out
 * is named as such, and a processor that holds only some of its segments in this process answers "reached" from the
 * tokens every process shares, since the segments held elsewhere may be behind.
 */
class ProjectionsOnAxonWithoutSpringTest {

    final MigratedH2 db = MigratedH2.fresh();
    final Serializer serializer = JacksonSerializer.defaultSerializer();
    Configuration axon;

    @AfterEach
    void stop() {
        if (axon != null) {
            axon.shutdown();
        }
    }

    @Test
    void aReadModelWithoutItsProcessorIsReportedAsSuch() {
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
        configurer.eventProcessing(); // the module, without a processor
        axon = configurer.buildConfiguration();
        Projections projections = new Projections(axon, axon.eventStore(), null, null, HandBuiltProjections.on(db));

        assertThatThrownBy(() -> projections.processorOf(StandingsProjection.NAME))
                .isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(UnknownProjection.class)
                .hasMessage("no processor runs " + ReadModels.PROCESSING_GROUP);
        assertThatThrownBy(() -> projections.processorOf("nothing")).isInstanceOf(UnknownProjection.class);
    }

    /** Handles anything: the test is about where the processor stands. */
    static class Anything {
        @EventHandler
        void on(String event) {}
    }

    @Test
    void aProcessorHoldingHalfItsSegmentsHereAnswersFromTheSharedTokens() {
        // One thread for two segments: this process claims one; the other stands where the store initialised it.
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
        configurer
                .eventProcessing()
                .registerTrackingEventProcessor(
                        "half",
                        c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialSegmentsCount(2))
                .registerTokenStore("half", c -> tokenStore())
                .registerEventHandler(c -> new Anything())
                .byDefaultAssignTo("half");
        axon = configurer.start();
        StreamingEventProcessor processor = axon.eventProcessingConfiguration()
                .eventProcessor("half", StreamingEventProcessor.class)
                .orElseThrow();
        Projections projections =
                new Projections(axon, axon.eventStore(), new TokenStoreView(db.jdbc, serializer), null, List.of());
        for (String stream : List.of("a", "b", "c", "d", "e", "f")) {
            axon.eventBus().publish(new GenericDomainEventMessage<>("Thing", stream, 0, "event of " + stream));
        }
        long head = projections.head();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> processor.processingStatus().values().stream()
                        .anyMatch(status -> status.getCurrentPosition().orElse(-1) >= head));
        assertThat(processor.processingStatus()).hasSize(1);
        EventTrackerStatus held =
                processor.processingStatus().values().iterator().next();
        assertThat(held.getSegment().getMask()).isEqualTo(1);

        assertThat(projections.reached("half", head)).isFalse();
    }

    private JdbcTokenStore tokenStore() {
        return db.tokenStore(serializer);
    }
}
