package io.matchledger.api.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.CapacityMonitor;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.queryhandling.QueryMessage;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Axon's Micrometer meters, as its auto-configuration registers them, but with a short capacity window. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsSettings.class)
public class MetricsConfiguration {

    /**
     * Replaces Axon's {@code GlobalMetricRegistry} bean. Axon's {@link CapacityMonitor} keeps every handling time of
     * the last ten minutes in a skip list, one per command bus and per processor: about 900,000 nodes in a mid-size
     * benchmark's heap, and at 1,000 matches/s (ten handlings a match) up to six million, all in the old generation
     * and summed at each scrape. {@code ledger.metrics.capacity-window} ({@link MetricsSettings}) keeps the same gauge, over a window a
     * scrape interval long. The query update emitter keeps Axon's window (its method is private); the service sends
     * no subscription-query updates.
     */
    @Bean
    public GlobalMetricRegistry globalMetricRegistry(MeterRegistry meterRegistry, MetricsSettings settings) {
        return new WindowedMetricRegistry(meterRegistry, settings.capacityWindow());
    }

    /**
     * The monitors {@link GlobalMetricRegistry} builds for the dimensional meters the service turns on
     * ({@code axon.metrics.micrometer.dimensional}), in the same order and with the same names and tags, only with
     * the capacity over {@code window}.
     */
    static final class WindowedMetricRegistry extends GlobalMetricRegistry {

        private final Duration window;

        WindowedMetricRegistry(MeterRegistry registry, Duration window) {
            super(registry);
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("ledger.metrics.capacity-window must be positive, was " + window);
            }
            this.window = window;
        }

        @Override
        public MessageMonitor<? super EventMessage<?>> registerEventProcessor(
                String processorName,
                Function<Message<?>, Iterable<Tag>> tags,
                Function<Message<?>, Iterable<Tag>> latencyTags) {
            return new MultiMessageMonitor<>(List.of(
                    MessageTimerMonitor.buildMonitor(processorName, getRegistry(), tags),
                    EventProcessorLatencyMonitor.builder()
                            .meterNamePrefix(processorName)
                            .meterRegistry(getRegistry())
                            .tagsBuilder(latencyTags)
                            .build(),
                    capacity(processorName, tags),
                    MessageCountingMonitor.buildMonitor(processorName, getRegistry(), tags)));
        }

        @Override
        public MessageMonitor<? super CommandMessage<?>> registerCommandBus(
                String name, Function<Message<?>, Iterable<Tag>> tags) {
            return handlerMonitor(name, tags);
        }

        @Override
        public MessageMonitor<? super QueryMessage<?, ?>> registerQueryBus(
                String name, Function<Message<?>, Iterable<Tag>> tags) {
            return handlerMonitor(name, tags);
        }

        private MessageMonitor<Message<?>> handlerMonitor(String name, Function<Message<?>, Iterable<Tag>> tags) {
            return new MultiMessageMonitor<>(
                    MessageTimerMonitor.buildMonitor(name, getRegistry(), tags),
                    capacity(name, tags),
                    MessageCountingMonitor.buildMonitor(name, getRegistry(), tags));
        }

        private CapacityMonitor capacity(String name, Function<Message<?>, Iterable<Tag>> tags) {
            return CapacityMonitor.buildMonitor(
                    name,
                    getRegistry(),
                    window.toMillis(),
                    TimeUnit.MILLISECONDS,
                    getRegistry().config().clock(),
                    tags);
        }
    }
}
