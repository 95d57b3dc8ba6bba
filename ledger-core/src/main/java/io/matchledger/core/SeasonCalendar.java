package io.matchledger.core;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.SeasonDefinitions;
import io.matchledger.core.api.SeasonEndedEarly;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonSealed;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.api.SeasonsDefined;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * Every season, on one stream: that seasons never overlap is a rule over all of them, and the store's (stream,
 * sequence) key makes two processes that change the calendar at once retry, not both succeed. Seasons change rarely,
 * so one stream costs nothing that matters.
 * <p>
 * A season that has started keeps its window: the matches in it were counted by it. It can only end early, now,
 * for a reason. After it closes (end + grace) it is sealed once, with what its events give.
 */
public class SeasonCalendar {

    public static final String ID = "season-calendar";

    @AggregateIdentifier
    private String id;

    private final Map<String, SeasonWindow> seasons = new LinkedHashMap<>();
    private final Map<String, SeasonSeal> seals = new LinkedHashMap<>();

    SeasonCalendar() {
        // for Axon, and for the first definition
    }

    SeasonDefinitions define(List<SeasonWindow> requested, Instant now) {
        List<String> created = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<SeasonWindow> applied = new ArrayList<>();
        Map<String, SeasonWindow> after = new LinkedHashMap<>(seasons);
        for (SeasonWindow season : requested) {
            SeasonWindow known = seasons.get(season.seasonId());
            if (known != null && known.sameAs(season)) {
                continue;
            }
            if (known != null && !known.start().isAfter(now)) {
                throw LedgerRefusal.conflict("season " + season.seasonId() + " started at " + known.start()
                        + " and cannot be moved or renamed; end it early instead");
            }
            if (known != null && seals.containsKey(season.seasonId())) {
                throw LedgerRefusal.conflict("season " + season.seasonId() + " is sealed");
            }
            after.put(season.seasonId(), season);
            (known == null ? created : changed).add(season.seasonId());
            applied.add(season);
        }
        for (SeasonWindow season : applied) {
            for (SeasonWindow other : after.values()) {
                if (!other.seasonId().equals(season.seasonId()) && other.overlaps(season)) {
                    throw LedgerRefusal.ruleBroken("season " + season.seasonId() + " [" + season.start() + ", "
                            + season.end() + ") overlaps season " + other.seasonId() + " [" + other.start() + ", "
                            + other.end() + ")");
                }
            }
        }
        if (!applied.isEmpty()) {
            apply(new SeasonsDefined(applied));
        }
        return new SeasonDefinitions(created, changed);
    }

    SeasonWindow endEarly(String seasonId, String reason, Instant now) {
        SeasonWindow season = season(seasonId);
        if (season.start().isAfter(now)) {
            throw LedgerRefusal.ruleBroken(
                    "season " + seasonId + " has not started; define it again with another window instead");
        }
        if (!season.end().isAfter(now)) {
            throw LedgerRefusal.ruleBroken("season " + seasonId + " ended at " + season.end());
        }
        apply(new SeasonEndedEarly(seasonId, now, season.end(), reason.strip()));
        return seasons.get(seasonId);
    }

    /** Seals once; the same seal again is a retry and changes nothing, another is a conflict. */
    SeasonSeal seal(SeasonSeal seal, Instant now) {
        SeasonWindow season = season(seal.seasonId());
        if (season.closesAt().isAfter(now)) {
            throw LedgerRefusal.ruleBroken("season " + seal.seasonId() + " closes at " + season.closesAt());
        }
        SeasonSeal sealed = seals.get(seal.seasonId());
        if (sealed == null) {
            apply(new SeasonSealed(seal));
            return seal;
        }
        if (!sealed.equals(seal)) {
            throw LedgerRefusal.conflict("season " + seal.seasonId() + " was sealed with other digests");
        }
        return sealed;
    }

    private SeasonWindow season(String seasonId) {
        SeasonWindow season = seasons.get(seasonId);
        if (season == null) {
            throw LedgerRefusal.notFound("season " + seasonId);
        }
        return season;
    }

    @EventSourcingHandler
    void on(SeasonsDefined event) {
        id = ID;
        event.seasons().forEach(season -> seasons.put(season.seasonId(), season));
    }

    @EventSourcingHandler
    void on(SeasonEndedEarly event) {
        SeasonWindow season = seasons.get(event.seasonId());
        seasons.put(
                event.seasonId(),
                new SeasonWindow(season.seasonId(), season.name(), season.start(), event.end(), season.grace()));
    }

    @EventSourcingHandler
    void on(SeasonSealed event) {
        seals.put(event.seal().seasonId(), event.seal());
    }
}
