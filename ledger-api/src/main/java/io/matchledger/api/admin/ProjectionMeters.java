package io.matchledger.api.admin;

import io.matchledger.projections.lifecycle.ProjectionStatus;
import io.matchledger.projections.lifecycle.Projections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * How far each projection is behind the event store, as gauges for the dashboard and the lag alert:
 * {@code ledger_projection_lag_events} and {@code ledger_projection_lag_seconds} (the age of the oldest event it has not
 * processed), per {@code projection}, as {@code GET /api/admin/projections} reports them. Unlike Axon's
 * {@code eventProcessor_latency}, which a stuck processor stops updating, these grow while a projection stands still.
 * Read once per scrape (within a second) for every projection, since each reading asks the store.
 */
@Component
class ProjectionMeters {

    private final Projections projections;
    private final MeterRegistry meters;
    private volatile Map<String, ProjectionStatus> last = Map.of();
    private volatile long readAt;

    ProjectionMeters(Projections projections, MeterRegistry meters) {
        this.projections = projections;
        this.meters = meters;
    }

    @EventListener(ApplicationReadyEvent.class)
    void registerGauges() {
        for (String name : projections.conditions().keySet()) {
            gauge("ledger.projection.lag.events", name, "Events the projection has not processed", s -> s.lagEvents());
            gauge(
                    "ledger.projection.lag.seconds",
                    name,
                    "Age of the oldest event the projection has not processed",
                    ProjectionStatus::lagSeconds);
        }
    }

    private void gauge(String meter, String name, String description, ToLongFunction<ProjectionStatus> value) {
        Gauge.builder(meter, () -> {
                    ProjectionStatus status = statuses().get(name);
                    return status == null ? Double.NaN : value.applyAsLong(status);
                })
                .description(description)
                .tag("projection", name)
                .register(meters);
    }

    private Map<String, ProjectionStatus> statuses() {
        long now = System.nanoTime();
        if (now - readAt > 1_000_000_000L) {
            try {
                last = projections.statuses().stream()
                        .collect(Collectors.toMap(ProjectionStatus::name, status -> status));
            } catch (RuntimeException away) {
                // The database away: no value this scrape (the failing gauge and the health say more).
                last = Map.of();
            }
            readAt = now;
        }
        return last;
    }
}
