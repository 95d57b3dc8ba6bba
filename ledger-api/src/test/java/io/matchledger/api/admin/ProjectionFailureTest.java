package io.matchledger.api.admin;

import static io.matchledger.api.admin.ProjectionRebuildTest.projection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.matchledger.api.LedgerClient;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.projections.ReadModels;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * A read model's handler fails on the real processor: once (a transient fault, like a database that went away), and
 * on every attempt (a poison event). The first heals by itself with nothing skipped; the second holds the read models
 * at the event (one processor keeps them all, ADR 0018; here one segment holds every key), visibly (admin status
 * naming the failing read model, health, metric), while the ledger goes on recording, and they resume from that event
 * once the cause is gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@ActiveProfiles("test")
@Import(ProjectionFailureTest.Tripwire.class)
@DirtiesContext
class ProjectionFailureTest {

    /** Sits in the read models' group, so that its exception fails the batch in which the real projections write. */
    @ProcessingGroup(ReadModels.PROCESSING_GROUP)
    static class Tripwire {

        final Set<String> failOnce = ConcurrentHashMap.newKeySet();
        final Set<String> failAlways = ConcurrentHashMap.newKeySet();
        final AtomicInteger failures = new AtomicInteger();
        /** What this handler saw through: with a handler that logs and skips, a failed event would never be here. */
        final Set<String> handled = ConcurrentHashMap.newKeySet();

        @EventHandler
        void on(MatchSettled event) {
            if (failOnce.remove(event.matchId()) || failAlways.contains(event.matchId())) {
                failures.incrementAndGet();
                throw new IllegalStateException("tripwire on match " + event.matchId());
            }
            handled.add(event.matchId());
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Tripwire tripwire;

    @Test
    void aHandlerThatFailsOnceIsRetriedAndNothingIsSkipped() {
        LedgerClient admin = new LedgerClient(port);
        register(admin, "pf-a", "pf-b");
        tripwire.failOnce.add("pf-once-3");
        int failuresBefore = tripwire.failures.get();
        List<String> matches =
                IntStream.rangeClosed(1, 6).mapToObj(i -> "pf-once-" + i).toList();
        matches.forEach(id -> assertThat(admin.win(id, "pf-a", "pf-b").status()).isEqualTo(201));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String id : matches) {
                assertThat(admin.get("/api/matches/" + id).status()).as(id).isEqualTo(200);
            }
        });
        assertThat(tripwire.failures.get() - failuresBefore).isEqualTo(1);
        assertThat(tripwire.handled).containsAll(matches);
        JsonNode status = projection(admin, "matches");
        assertThat(status.get("state").asText()).isEqualTo("RUNNING");
        assertThat(status.get("error").isNull()).as(status.toString()).isTrue();
        assertThat(admin.get("/api/audit/verify").json().get("mismatches")).isEmpty();
    }

    @Test
    void anEventThatAlwaysFailsHoldsTheReadModelsThereVisiblyUntilTheCauseIsFixed() {
        LedgerClient admin = new LedgerClient(port);
        register(admin, "pz-a", "pz-b");
        tripwire.failAlways.add("pz-2");
        int failuresBefore = tripwire.failures.get();
        for (String id : List.of("pz-1", "pz-2", "pz-3")) {
            assertThat(admin.win(id, "pz-a", "pz-b").status()).isEqualTo(201);
        }

        JsonNode failing = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> projection(admin, "matches"),
                        status -> status.get("state").asText().equals("FAILING"));
        assertThat(failing.get("error").asText())
                .contains("Tripwire failed on MatchSettled")
                .contains("tripwire on match pz-2");
        long failingAt = failing.get("failingAt").asLong();
        assertThat(failing.get("position").asLong()).isLessThan(failingAt);

        // The ledger goes on recording; the read models stay before the failing event, all of them (one segment).
        assertThat(admin.win("pz-4", "pz-b", "pz-a").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> tripwire.failures.get() - failuresBefore >= 3);
        assertThat(projection(admin, "standings").get("state").asText()).isEqualTo("FAILING");
        assertThat(projection(admin, "standings").get("position").asLong()).isLessThan(failingAt);
        JsonNode held = projection(admin, "matches");
        assertThat(held.get("state").asText()).isEqualTo("FAILING");
        assertThat(held.get("position").asLong())
                .as("never past the failing event")
                .isLessThan(failingAt);
        assertThat(admin.get("/api/matches/pz-3").status())
                .as("the event after it")
                .isEqualTo(404);

        JsonNode health = admin.get("/actuator/health").json();
        assertThat(health.at("/components/projections/status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.at("/components/projections/details/matches/state").asText())
                .isEqualTo("FAILING");
        assertThat(health.at("/components/projections/details/history/state").asText())
                .isEqualTo("FAILING");
        assertThat(admin.get("/actuator/health/readiness").status())
                .as("still ready to serve")
                .isEqualTo(200);
        assertThat(admin.get("/actuator/prometheus").body())
                .contains("ledger_projection_failing{projection=\"matches\"} 1.0");

        tripwire.failAlways.clear();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String id : List.of("pz-1", "pz-2", "pz-3", "pz-4")) {
                assertThat(admin.get("/api/matches/" + id).status()).as(id).isEqualTo(200);
            }
            assertThat(admin.pointsOf("pz-a")).isEqualTo(9);
        });
        assertThat(projection(admin, "matches").get("state").asText()).isEqualTo("RUNNING");
        assertThat(admin.get("/actuator/health")
                        .json()
                        .at("/components/projections/status")
                        .asText())
                .isEqualTo("UP");
        assertThat(admin.get("/actuator/prometheus").body())
                .contains("ledger_projection_failing{projection=\"matches\"} 0.0");
    }

    private static void register(LedgerClient admin, String... players) {
        for (String player : players) {
            assertThat(admin.registerPlayer(player, player.toUpperCase()).status())
                    .isEqualTo(201);
        }
    }
}
