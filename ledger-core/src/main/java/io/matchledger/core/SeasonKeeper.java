package io.matchledger.core;

import io.matchledger.core.api.DefineSeasonsCommand;
import io.matchledger.core.api.EndSeasonCommand;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.SealSeasonCommand;
import io.matchledger.core.api.SeasonDefinitions;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonWindow;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.command.Repository;

/** The season commands, on the one {@link SeasonCalendar}; the shape of each season is checked here, once. */
public class SeasonKeeper {

    /** Late reports may come this long after a season's end at most: a close a month away is no close. */
    public static final Duration MAX_GRACE = Duration.ofDays(31);

    private final Repository<SeasonCalendar> calendar;

    public SeasonKeeper(Repository<SeasonCalendar> calendar) {
        this.calendar = calendar;
    }

    @CommandHandler
    public SeasonDefinitions handle(DefineSeasonsCommand command) throws Exception {
        Set<String> ids = new HashSet<>();
        for (SeasonWindow season : command.seasons()) {
            check(season);
            if (!ids.add(season.seasonId())) {
                throw LedgerRefusal.ruleBroken("season " + season.seasonId() + " is given twice");
            }
        }
        return calendar.loadOrCreate(SeasonCalendar.ID, SeasonCalendar::new)
                .invoke(seasons -> seasons.define(command.seasons(), GenericEventMessage.clock.instant()));
    }

    @CommandHandler
    public SeasonWindow handle(EndSeasonCommand command) throws Exception {
        if (!LedgerRules.isValidReason(command.reason())) {
            throw LedgerRefusal.ruleBroken(
                    "an early end needs a reason of 1 to " + LedgerRules.REASON_MAX + " characters");
        }
        return calendar.loadOrCreate(SeasonCalendar.ID, SeasonCalendar::new)
                .invoke(seasons ->
                        seasons.endEarly(command.seasonId(), command.reason(), GenericEventMessage.clock.instant()));
    }

    @CommandHandler
    public SeasonSeal handle(SealSeasonCommand command) throws Exception {
        return calendar.loadOrCreate(SeasonCalendar.ID, SeasonCalendar::new)
                .invoke(seasons -> seasons.seal(command.seal(), GenericEventMessage.clock.instant()));
    }

    private static void check(SeasonWindow season) {
        if (season.seasonId() == null
                || !season.seasonId().matches(LedgerRules.SEASON_ID)
                || season.seasonId().equals(LedgerRules.CURRENT_SEASON)) {
            throw LedgerRefusal.ruleBroken("a season id is 1 to 64 letters, digits, '.', '_' or '-', and not '"
                    + LedgerRules.CURRENT_SEASON + "'");
        }
        if (!LedgerRules.isValidName(season.name())) {
            throw LedgerRefusal.ruleBroken(
                    "season " + season.seasonId() + " needs a name of 1 to " + LedgerRules.NAME_MAX + " characters");
        }
        if (season.start() == null || season.end() == null || !season.start().isBefore(season.end())) {
            throw LedgerRefusal.ruleBroken("season " + season.seasonId() + " must start before it ends");
        }
        if (season.grace() == null
                || season.grace().isNegative()
                || season.grace().compareTo(MAX_GRACE) > 0) {
            throw LedgerRefusal.ruleBroken("a season's grace is 0 to " + MAX_GRACE.toDays() + " days");
        }
    }
}
