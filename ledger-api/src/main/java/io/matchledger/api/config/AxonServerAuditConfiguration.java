package io.matchledger.api.config;

import io.matchledger.api.audit.StoredEvents;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit's reading of the store on Axon Server: an event store of its own on the same context, without
 * upcasters, so the export, the seals and the verification read the events as written there too. Axon Server hands
 * out tokens as it appends, in one order with no gap a write could still fill, so every fence has passed at once.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
@EnableConfigurationProperties(EventStoreSettings.class)
public class AxonServerAuditConfiguration {

    /** How long a read waits for Axon Server's next event before it takes the store's end to be reached. */
    private static final long END_OF_STORE_MILLIS = 500;

    @Bean
    public InFlightAppends inFlightAppends() {
        return new InFlightAppends() {
            private final Fence none = new Fence() {};

            @Override
            public Fence fence() {
                return none;
            }

            @Override
            public boolean passed(Fence fence) {
                return true;
            }

            @Override
            public Ticket begin() {
                return () -> {};
            }

            @Override
            public int inFlight() {
                return 0;
            }
        };
    }

    @Bean
    public StoredEvents storedEvents(
            AxonServerConfiguration configuration,
            AxonServerConnectionManager connections,
            @Qualifier("eventSerializer") Serializer eventSerializer) {
        AxonServerEventStore asWritten = AxonServerEventStore.builder()
                .configuration(configuration)
                .platformConnectionManager(connections)
                .snapshotSerializer(eventSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(NoOpEventUpcaster.INSTANCE)
                .build();
        return new StoredEvents(
                new StoredEvents.Source() {
                    @Override
                    public Stream<? extends TrackedEventMessage<?>> after(long position) {
                        BlockingStream<TrackedEventMessage<?>> events =
                                asWritten.openStream(position < 0 ? null : new GlobalSequenceTrackingToken(position));
                        return StreamSupport.stream(new UntilQuiet(events), false)
                                .onClose(events::close);
                    }

                    @Override
                    public long head() {
                        TrackingToken head = asWritten.createHeadToken();
                        return head == null ? 0 : head.position().orElse(0);
                    }
                },
                eventSerializer);
    }

    /** A blocking stream read until no event comes within {@link #END_OF_STORE_MILLIS}. */
    private static final class UntilQuiet extends Spliterators.AbstractSpliterator<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> events;

        UntilQuiet(BlockingStream<TrackedEventMessage<?>> events) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.events = events;
        }

        @Override
        public boolean tryAdvance(Consumer<? super TrackedEventMessage<?>> action) {
            try {
                if (!events.hasNextAvailable((int) END_OF_STORE_MILLIS, TimeUnit.MILLISECONDS)) {
                    return false;
                }
                action.accept(events.nextAvailable());
                return true;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
