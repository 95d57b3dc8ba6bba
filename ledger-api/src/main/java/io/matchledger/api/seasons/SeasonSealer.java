package io.matchledger.api.seasons;

import io.matchledger.api.audit.SeasonSeals;
import io.matchledger.api.config.EventStoreSettings;
import io.matchledger.api.config.InFlightAppends;
import io.matchledger.core.api.SealSeasonCommand;
import io.matchledger.projections.api.ListSeasonsQuery;
import io.matchledger.projections.api.SeasonList;
import io.matchledger.projections.api.SeasonView;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Seals each season once every event recorded before its close is in the store for good. An event takes its place in
 * the store within the append bound of its own timestamp, or not at all (ADR 0014): so once the close is older than
 * the bound, every append of an event recorded before it is done or in flight, and once the appends in flight at that
 * moment have ended (a fence of {@link InFlightAppends}), a read of the store sees all of them, however late they
 * committed. Every process runs it; the calendar accepts the first seal and answers the same seal again as a retry,
 * so two processes sealing at once agree or one is refused, and nothing is sealed twice.
 */
@Component
@EnableConfigurationProperties(SeasonSettings.class)
public class SeasonSealer implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SeasonSealer.class);

    private final QueryGateway queries;
    private final CommandGateway commands;
    private final SeasonSeals seals;
    private final InFlightAppends appends;
    private final EventStoreSettings store;
    private final SeasonSettings settings;
    /** Seasons whose close is past the bound, with the fence taken then. */
    private final Map<String, InFlightAppends.Fence> fenced = new ConcurrentHashMap<>();

    public SeasonSealer(
            QueryGateway queries,
            CommandGateway commands,
            SeasonSeals seals,
            InFlightAppends appends,
            EventStoreSettings store,
            SeasonSettings settings) {
        this.queries = queries;
        this.commands = commands;
        this.seals = seals;
        this.appends = appends;
        this.store = store;
        this.settings = settings;
    }

    /** Every {@code ledger.seasons.seal-check}, once scheduling is on (the application's {@code @EnableScheduling}). */
    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(
                new FixedDelayTask(this::sealClosedSeasons, settings.sealCheck(), settings.sealCheck()));
    }

    public void sealClosedSeasons() {
        // Axon's clock, the one that stamps the events whose place in a season this decides (and a test can step).
        Instant bound = GenericEventMessage.clock.instant().minus(store.appendBound());
        SeasonList seasons;
        try {
            seasons = queries.query(new ListSeasonsQuery(), SeasonList.class).join();
        } catch (RuntimeException unavailable) {
            log.debug("seasons not readable now; sealing later", unavailable);
            return;
        }
        for (SeasonView season : seasons.items()) {
            if (season.seal() != null) {
                fenced.remove(season.seasonId());
            } else if (!season.closesAt().isAfter(bound)) {
                try {
                    InFlightAppends.Fence fence = fenced.computeIfAbsent(season.seasonId(), id -> appends.fence());
                    if (appends.passed(fence)) {
                        seal(season);
                    }
                } catch (RuntimeException unavailable) {
                    log.debug("season {} not sealed now: {}", season.seasonId(), unavailable.toString());
                }
            }
        }
    }

    private void seal(SeasonView season) {
        try {
            SeasonSeals.Computed computed =
                    seals.compute(season.seasonId(), season.start(), season.end(), season.closesAt(), seals.head());
            commands.sendAndWait(new SealSeasonCommand(computed.seal()));
            fenced.remove(season.seasonId());
            log.info(
                    "season {} sealed: {} events, {} players, events sha256 {}",
                    season.seasonId(),
                    computed.seal().events(),
                    computed.seal().players(),
                    computed.seal().eventsSha256());
        } catch (RuntimeException failed) {
            log.warn("season {} not sealed now; trying again later: {}", season.seasonId(), failed.toString());
        }
    }
}
