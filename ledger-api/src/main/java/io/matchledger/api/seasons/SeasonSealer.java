package io.matchledger.api.seasons;

import io.matchledger.api.audit.SeasonSeals;
import io.matchledger.core.api.SealSeasonCommand;
import io.matchledger.projections.api.ListSeasonsQuery;
import io.matchledger.projections.api.SeasonList;
import io.matchledger.projections.api.SeasonView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Seals each season once it has closed and every write that could still land before its close has committed (the
 * store's commit grace). Every process runs it; the calendar accepts the first seal and answers the same seal again
 * as a retry, so two processes sealing at once agree or one is refused, and nothing is sealed twice.
 */
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
@Component
public class SeasonSealer {

    private static final Logger log = LoggerFactory.getLogger(SeasonSealer.class);

    private final QueryGateway queries;
    private final CommandGateway commands;
    private final SeasonSeals seals;
    private final Duration commitGrace;
    private final Clock clock = Clock.systemUTC();

    public SeasonSealer(
            QueryGateway queries,
            CommandGateway commands,
            SeasonSeals seals,
            @Value("${ledger.event-store.commit-grace:10s}") Duration commitGrace) {
        this.queries = queries;
        this.commands = commands;
        this.seals = seals;
        this.commitGrace = commitGrace;
    }

    @Scheduled(
            fixedDelayString = "${ledger.seasons.seal-check:5s}",
            initialDelayString = "${ledger.seasons.seal-check:5s}")
    public void sealClosedSeasons() {
        Instant settled = clock.instant().minus(commitGrace);
        SeasonList seasons;
        try {
            seasons = queries.query(new ListSeasonsQuery(), SeasonList.class).join();
        } catch (RuntimeException unavailable) {
            log.debug("seasons not readable now; sealing later", unavailable);
            return;
        }
        for (SeasonView season : seasons.items()) {
            if (season.seal() == null && !season.closesAt().isAfter(settled)) {
                seal(season);
            }
        }
    }

    private void seal(SeasonView season) {
        try {
            SeasonSeals.Computed computed =
                    seals.compute(season.seasonId(), season.start(), season.end(), season.closesAt(), seals.head());
            commands.sendAndWait(new SealSeasonCommand(computed.seal()));
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
