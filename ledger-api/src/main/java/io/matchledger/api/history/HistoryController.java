package io.matchledger.api.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.seasons.SeasonScope;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.projections.HistoryProjection;
import io.matchledger.projections.api.PlayerMatchesPage;
import io.matchledger.projections.api.PlayerMatchesQuery;
import io.matchledger.projections.api.PointsAsOf;
import io.matchledger.projections.api.PointsAsOfQuery;
import io.matchledger.projections.api.SeasonMatchesQuery;
import io.matchledger.projections.api.SeasonView;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A player's past: their matches page by page, their total at any instant, and the raw events of their ledger. */
@RestController
@RequestMapping("/api/players/{playerId}")
public class HistoryController {

    static final int MAX_PAGE_SIZE = 200;
    static final int MAX_EVENTS = 1_000;

    private final QueryGateway queries;
    private final EventStore eventStore;
    private final ObjectMapper json;
    private final SeasonScope seasons;

    public HistoryController(QueryGateway queries, EventStore eventStore, ObjectMapper json, SeasonScope seasons) {
        this.queries = queries;
        this.eventStore = eventStore;
        this.json = json;
        this.seasons = seasons;
    }

    @Operation(
            summary = "A player's matches, newest first",
            description = "Items `{matchId, opponentId, result, points, totalAfter, voided, occurredAt, recordedAt}`; "
                    + "`total` counts all the player's matches. A voided match stays in the list as it was recorded "
                    + "(its points and the total right after it are history) with `voided: true`. `size` is 1-200. "
                    + "404 for a player the read model does not know (yet). With `season` (an id, or `current`): the "
                    + "matches played in the season's window, `total` counting those.")
    @ReadModel(HistoryProjection.NAME)
    @Answers(
            id = "getPlayerMatches",
            audience = Audience.DASHBOARDS,
            roles = Role.READER,
            problems = ProblemType.NOT_FOUND)
    @GetMapping("/matches")
    public PlayerMatchesPage matches(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(MAX_PAGE_SIZE) int size,
            @RequestParam(required = false) @Pattern(regexp = SeasonScope.SEASON) String season) {
        Object query = season == null
                ? new PlayerMatchesQuery(playerId, page, size)
                : seasonMatches(playerId, page, size, seasons.require(season));
        return queries.query(query, ResponseTypes.optionalInstanceOf(PlayerMatchesPage.class))
                .join()
                .orElseThrow(() -> new NotFound("player " + playerId));
    }

    private static SeasonMatchesQuery seasonMatches(String playerId, int page, int size, SeasonView season) {
        return new SeasonMatchesQuery(playerId, season.start(), season.end(), page, size);
    }

    @Operation(
            summary = "A player's total as of an instant",
            description = "The total right after the last ledger entry recorded at or before `asOf` (an ISO-8601 "
                    + "instant such as 2026-11-26T10:00:00Z): matches, voids and adjustments alike, so it is exact at "
                    + "any instant. 0 before the player's first entry. Entries are dated when the ledger recorded "
                    + "them (to the millisecond), not when a match was played. 400 without a valid `asOf`, 404 for an "
                    + "unknown player.")
    @ReadModel(HistoryProjection.NAME)
    @Answers(
            id = "getPlayerPoints",
            audience = Audience.DASHBOARDS,
            roles = Role.READER,
            problems = ProblemType.NOT_FOUND)
    @GetMapping("/points")
    public PointsAsOf points(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(required = false) String asOf) {
        return queries.query(
                        new PointsAsOfQuery(playerId, instant(asOf)),
                        ResponseTypes.optionalInstanceOf(PointsAsOf.class))
                .join()
                .orElseThrow(() -> new NotFound("player " + playerId));
    }

    private static Instant instant(String asOf) {
        if (asOf == null || asOf.isBlank()) {
            throw new InvalidRequest("asOf", "is required: an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
        try {
            return Instant.parse(asOf);
        } catch (DateTimeParseException malformed) {
            throw new InvalidRequest("asOf", "must be an ISO-8601 instant such as 2026-11-26T10:00:00Z");
        }
    }

    public record LedgerEvent(long sequence, String type, Instant timestamp, JsonNode payload, JsonNode metadata) {}

    /** {@code next} is the {@code fromSequence} of the following page, null when the stream ends here. */
    public record LedgerEvents(String playerId, long fromSequence, int limit, List<LedgerEvent> events, Long next) {}

    @Operation(
            summary = "A player's event stream, as stored, in order",
            description = "The events of the player's own ledger from `fromSequence` on, at most `limit` (1-1000) of "
                    + "them, read from the event store, not from a read model: sequence, type (the payload's simple "
                    + "name), timestamp, payload (in its current revision) and metadata (who sent the command and in "
                    + "which request). `next` is the `fromSequence` of the following page, null at the end. 404 for a "
                    + "player with no stream.")
    @Answers(
            id = "getPlayerEvents",
            audience = Audience.AUDITORS,
            roles = Role.AUDITOR,
            problems = ProblemType.NOT_FOUND)
    @GetMapping("/events")
    public LedgerEvents events(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(defaultValue = "0") @Min(0) long fromSequence,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(MAX_EVENTS) int limit) {
        if (eventStore.lastSequenceNumberFor(playerId).isEmpty()) {
            throw new NotFound("player " + playerId);
        }
        // The stream is read in batches as it is iterated: a page of a long ledger never loads the rest of it.
        DomainEventStream stream = eventStore.readEvents(playerId, fromSequence);
        List<LedgerEvent> events = new ArrayList<>();
        Long next = null;
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (events.size() == limit) {
                next = event.getSequenceNumber();
                break;
            }
            events.add(new LedgerEvent(
                    event.getSequenceNumber(),
                    event.getPayloadType().getSimpleName(),
                    event.getTimestamp(),
                    json.valueToTree(event.getPayload()),
                    json.valueToTree(event.getMetaData())));
        }
        return new LedgerEvents(playerId, fromSequence, limit, events, next);
    }
}
