package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.matchledger.projections.MigratedH2;
import io.matchledger.projections.ReadModels;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read models' segments spread over the processes that run them (ADR 0018), with a real Axon tracking processor
 * of four segments and its threads, its tokens in the migrated schema's {@code token_entry}: alone, a process keeps
 * every segment; with others alive it gives up what is beyond its share; a process that stopped saying it is alive is
 * no longer counted, and one gone for an hour is forgotten.
 */
class SegmentBalancerTest {

    static final String THIS_PROCESS = ManagementFactory.getRuntimeMXBean().getName();
    static final Duration EVERY = Duration.ofSeconds(5);

    /** A read model that counts nothing: the balancer looks at segments, not events. */
    static final class Idle {
        @EventHandler
        void on(String event) {}
    }

    MigratedH2 db;
    Configuration axon;
    StreamingEventProcessor processor;
    SegmentBalancer balancer;

    @BeforeEach
    void fourSegmentsAllHeldHere() {
        db = MigratedH2.fresh();
        Serializer serializer = JacksonSerializer.defaultSerializer();
        JdbcTokenStore tokens = db.tokenStore(serializer);
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
        configurer
                .eventProcessing()
                .registerTrackingEventProcessor(
                        ReadModels.PROCESSING_GROUP,
                        c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forParallelProcessing(4)
                                .andInitialSegmentsCount(4)
                                .andEventAvailabilityTimeout(100, java.util.concurrent.TimeUnit.MILLISECONDS))
                .registerTokenStore(ReadModels.PROCESSING_GROUP, c -> tokens)
                .registerEventHandler(c -> new Idle())
                .byDefaultAssignTo(ReadModels.PROCESSING_GROUP);
        axon = configurer.start();
        processor = axon.eventProcessingConfiguration()
                .eventProcessor(ReadModels.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> processor.processingStatus().size() == 4);
        balancer = new SegmentBalancer(
                axon, db.jdbc, new TokenStoreView(db.jdbc, serializer), new ReadModelSettings(EVERY));
    }

    @AfterEach
    void stop() {
        axon.shutdown();
    }

    private void seen(String node, long at) {
        db.jdbc.update("insert into read_model_node (node_id, seen_at) values (?, ?)", node, at);
    }

    private Long seenAt(String node) {
        return db.jdbc.queryForList("select seen_at from read_model_node where node_id = ?", Long.class, node).stream()
                .findFirst()
                .orElse(null);
    }

    @Test
    void aProcessAloneKeepsEverySegmentAndSaysItIsAlive() {
        long before = System.currentTimeMillis();

        balancer.balance();

        assertThat(seenAt(THIS_PROCESS)).isBetween(before, System.currentTimeMillis());
        assertThat(processor.processingStatus()).hasSize(4);
        long first = seenAt(THIS_PROCESS);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > first);
        balancer.balance();
        assertThat(seenAt(THIS_PROCESS)).isGreaterThan(first);
        assertThat(db.jdbc.queryForObject("select count(*) from read_model_node", Long.class))
                .isEqualTo(1);
    }

    @Test
    void withTwoOthersAliveItKeepsItsShareAndReleasesTheRest() {
        long now = System.currentTimeMillis();
        seen("other-1@host", now);
        seen("other-2@host", now - EVERY.toMillis());

        balancer.balance();

        // Four segments over three processes: a share of two, the lowest kept.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> processor.processingStatus().size() == 2);
        assertThat(processor.processingStatus()).containsOnlyKeys(0, 1);
    }

    @Test
    void withOneOtherAliveItKeepsHalfTheSegments() {
        seen("other@host", System.currentTimeMillis());

        balancer.balance();

        // Four segments over two processes: a share of two (of three, rounding up too far, it would keep three).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> processor.processingStatus().size() == 2);
        assertThat(processor.processingStatus()).containsOnlyKeys(0, 1);
    }

    @Test
    void itBalancesEveryRoundOnceTheApplicationSchedules() {
        org.springframework.scheduling.config.ScheduledTaskRegistrar registrar =
                new org.springframework.scheduling.config.ScheduledTaskRegistrar();

        balancer.configureTasks(registrar);

        assertThat(registrar.getFixedDelayTaskList()).singleElement().satisfies(task -> {
            assertThat(task.getIntervalDuration()).isEqualTo(EVERY);
            task.getRunnable().run();
        });
        assertThat(seenAt(THIS_PROCESS)).isNotNull();
    }

    @Test
    void aProcessSilentForThreeRoundsIsNotCountedAndOneGoneForAnHourIsForgotten() {
        long now = System.currentTimeMillis();
        seen("silent@host", now - 3 * EVERY.toMillis() - 1_000);
        seen("gone@host", now - Duration.ofHours(1).toMillis() - 1_000);

        balancer.balance();

        assertThat(processor.processingStatus()).hasSize(4);
        assertThat(seenAt("silent@host")).isNotNull();
        assertThat(seenAt("gone@host")).isNull();
    }

    @Test
    void aStoppedProcessorIsLeftAloneAndSoIsADatabaseThatIsAway() {
        seen("other@host", System.currentTimeMillis());
        processor.shutDown();

        balancer.balance();
        assertThat(seenAt(THIS_PROCESS)).isNotNull();

        db.jdbc.execute("drop table read_model_node");
        balancer.balance(); // logged, not thrown: the next round tries again
    }
}
