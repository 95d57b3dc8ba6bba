package io.matchledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.api.config.MetricsConfiguration.WindowedMetricRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;

/** Axon's capacity gauge, over the service's short window instead of Axon's ten minutes of every handling time. */
class MetricsConfigurationTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final WindowedMetricRegistry registry = new WindowedMetricRegistry(meters, Duration.ofSeconds(10));

    @Test
    void aCommandBusCapacityIsTheShareOfTheWindowSpentHandlingAndForgetsWhatIsOlder() {
        MessageMonitor<? super CommandMessage<?>> monitor =
                registry.registerCommandBus("commandBus", message -> Tags.of("payloadType", "Record"));

        MessageMonitor.MonitorCallback handling =
                monitor.onMessageIngested(GenericCommandMessage.asCommandMessage("record"));
        clock.add(2, TimeUnit.SECONDS);
        handling.reportSuccess();

        assertThat(capacity("commandBus.capacity")).isEqualTo(0.2); // 2 s of a 10 s window
        assertThat(meters.get("commandBus.successCounter").counter().count()).isEqualTo(1);
        assertThat(meters.get("commandBus.successTimer").timer().count()).isEqualTo(1);

        clock.add(11, TimeUnit.SECONDS);
        assertThat(capacity("commandBus.capacity")).as("out of the window").isZero();
    }

    @Test
    void aProcessorKeepsItsTimerCounterAndLatencyAndItsCapacityOverTheWindow() {
        MessageMonitor<? super EventMessage<?>> monitor = registry.registerEventProcessor(
                "eventProcessor",
                message -> Tags.of("processorName", "standings"),
                message -> Tags.of("processorName", "standings"));

        MessageMonitor.MonitorCallback handling =
                monitor.onMessageIngested(GenericEventMessage.asEventMessage("match recorded"));
        clock.add(5, TimeUnit.SECONDS);
        handling.reportSuccess();

        assertThat(capacity("eventProcessor.capacity")).isEqualTo(0.5);
        assertThat(meters.get("eventProcessor.latency").gauge()).isNotNull();
        assertThat(meters.get("eventProcessor.successCounter").counter().count())
                .isEqualTo(1);
        clock.add(11, TimeUnit.SECONDS);
        assertThat(capacity("eventProcessor.capacity")).isZero();
    }

    @Test
    void aWindowThatIsNotPositiveIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new WindowedMetricRegistry(meters, Duration.ZERO))
                .hasMessageContaining("ledger.metrics.capacity-window");
    }

    private double capacity(String name) {
        return meters.get(name).gauge().value();
    }
}
