package io.matchledger.projections.lifecycle;

import io.matchledger.projections.ReadModels;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Spreads the read models' segments over the processes that run them (ADR 0018). Axon's tracking processor claims
 * every unclaimed segment its threads can hold and gives none up while it runs, so the first process to start would
 * keep them all and a second would add nothing. Each process says every few seconds that it is alive
 * ({@code read_model_node}); one that holds more than its share (the segments over the live processes, rounded up)
 * releases the extra ones for a while, and the others, holding less, claim them. A process that dies stops saying so,
 * its claims time out, and the survivors, whose threads can hold every segment, claim what it held.
 */
@Component
@EnableConfigurationProperties(ReadModelSettings.class)
public class SegmentBalancer implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);
    /** Which processes are alive: a heartbeat each, no read model (never rebuilt). */
    public static final String NODES = "read_model_node";

    private static final String THIS_PROCESS =
            ManagementFactory.getRuntimeMXBean().getName();

    private final Configuration axon;
    private final JdbcTemplate jdbc;
    private final TokenStoreView tokens;
    private final Duration every;
    private final Clock clock = Clock.systemUTC();

    public SegmentBalancer(Configuration axon, JdbcTemplate jdbc, TokenStoreView tokens, ReadModelSettings settings) {
        this.axon = axon;
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.every = settings.balanceEvery();
    }

    /** Every {@code ledger.read-models.balance-every}, once scheduling is on (the application's). */
    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::balance, every);
    }

    public void balance() {
        try {
            long now = clock.millis();
            sayAlive(now);
            StreamingEventProcessor processor = axon.eventProcessingConfiguration()
                    .eventProcessorByProcessingGroup(ReadModels.PROCESSING_GROUP, StreamingEventProcessor.class)
                    .orElse(null);
            if (processor == null || !processor.isRunning()) {
                return;
            }
            int segments = tokens.tokens(processor.getName()).size();
            long alive = alive(now);
            if (segments <= 1 || alive <= 1) {
                return;
            }
            int share = (int) ((segments + alive - 1) / alive);
            List<Integer> held = new ArrayList<>(processor.processingStatus().keySet());
            held.sort(null);
            for (int i = share; i < held.size(); i++) {
                // Not claimed here again for three rounds: long enough for a process holding less to claim it.
                processor.releaseSegment(held.get(i), 3 * every.toMillis(), TimeUnit.MILLISECONDS);
                log.info(
                        "Released segment {} of the read models: {} processes run them, {} segments here, {} is a share",
                        held.get(i),
                        alive,
                        held.size(),
                        share);
            }
        } catch (RuntimeException databaseAway) {
            log.debug("segments not balanced now: {}", databaseAway.toString());
        }
    }

    private void sayAlive(long now) {
        if (jdbc.update("update " + NODES + " set seen_at = ? where node_id = ?", now, THIS_PROCESS) == 0) {
            jdbc.update("insert into " + NODES + " (node_id, seen_at) values (?, ?)", THIS_PROCESS, now);
        }
        // A process gone for an hour will not come back under the same name (its pid): forget it.
        jdbc.update(
                "delete from " + NODES + " where seen_at < ?",
                now - Duration.ofHours(1).toMillis());
    }

    /** Processes that said they were alive within the last three rounds, this one included. */
    private long alive(long now) {
        Long alive = jdbc.queryForObject(
                "select count(*) from " + NODES + " where seen_at >= ?", Long.class, now - 3 * every.toMillis());
        return alive == null ? 1 : Math.max(1, alive);
    }
}
