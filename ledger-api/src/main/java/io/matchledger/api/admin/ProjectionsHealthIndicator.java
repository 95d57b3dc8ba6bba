package io.matchledger.api.admin;

import io.matchledger.projections.lifecycle.ProjectionState;
import io.matchledger.projections.lifecycle.Projections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The projections in {@code /actuator/health} (component {@code projections}) and as the gauge
 * {@code ledger.projection.failing} (1 while a projection's processor is failing, per {@code projection}). A failing
 * projection makes the component OUT_OF_SERVICE: its read model falls behind while the ledger goes on recording, which
 * an operator must see, but the service is still ready to serve ({@code /actuator/health/readiness} leaves it out).
 */
@Component
class ProjectionsHealthIndicator implements HealthIndicator {

    private final Projections projections;
    private final MeterRegistry meters;

    ProjectionsHealthIndicator(Projections projections, MeterRegistry meters) {
        this.projections = projections;
        this.meters = meters;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean failing = false;
        for (var entry : projections.conditions().entrySet()) {
            ProjectionState.Condition condition = entry.getValue();
            failing |= condition.state() == ProjectionState.FAILING;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", condition.state());
            if (condition.message() != null) {
                detail.put("error", condition.message());
            }
            details.put(entry.getKey(), detail);
        }
        return (failing ? Health.outOfService() : Health.up())
                .withDetails(details)
                .build();
    }

    /** Once the processors exist: Axon registers them while the context starts. */
    @EventListener(ApplicationReadyEvent.class)
    void registerGauges() {
        for (String name : projections.conditions().keySet()) {
            Gauge.builder(
                            "ledger.projection.failing",
                            () -> projections.conditions().get(name).state() == ProjectionState.FAILING ? 1 : 0)
                    .description("1 while the projection's processor fails on an event and retries it")
                    .tag("projection", name)
                    .register(meters);
        }
    }
}
