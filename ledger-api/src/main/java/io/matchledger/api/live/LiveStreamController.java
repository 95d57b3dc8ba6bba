package io.matchledger.api.live;

import io.matchledger.api.positions.MinPosition;
import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.problems.NotFound;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.seasons.SeasonScope;
import io.matchledger.api.security.Role;
import io.matchledger.api.web.Answers;
import io.matchledger.api.web.Answers.Audience;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.StandingsProjection;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.Optional;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The contract's live updates: server-sent events carrying the same JSON as the views' GET endpoints. */
@RestController
public class LiveStreamController {

    private final LiveViews live;
    private final EventStore eventStore;
    private final MinPosition minPosition;
    private final WritePositions positions;

    private final SeasonScope seasons;

    public LiveStreamController(
            LiveViews live,
            EventStore eventStore,
            MinPosition minPosition,
            WritePositions positions,
            SeasonScope seasons) {
        this.seasons = seasons;
        this.live = live;
        this.eventStore = eventStore;
        this.minPosition = minPosition;
        this.positions = positions;
    }

    @Operation(
            summary = "A player's view, live (server-sent events)",
            description =
                    "`text/event-stream`. The first message is the player's view as `GET /api/players/{playerId}` "
                            + "answers it; then a message with the whole view whenever it changed (points, results, rank or "
                            + "name), and an SSE comment as heartbeat every 15 s. Changes are pushed once the read model has "
                            + "them, whichever process recorded them; several changes close together may arrive as one "
                            + "message with the latest state. The stream ends after 10 minutes and EventSource reconnects; "
                            + "a reconnect's first message is the current state, so nothing is missed. 404 for an unknown "
                            + "player. With `season` (an id, or `current`, which names the season running when the stream "
                            + "opens), the player's standing within it.")
    @ReadModel({StandingsProjection.NAME, MatchesProjection.NAME})
    @Answers(id = "streamPlayer", audience = Audience.DASHBOARDS, roles = Role.READER, problems = ProblemType.NOT_FOUND)
    @GetMapping(path = "/api/players/{playerId}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> player(
            @PathVariable @Pattern(regexp = LedgerRules.PLAYER_ID) String playerId,
            @RequestParam(required = false) @Pattern(regexp = SeasonScope.SEASON) String season) {
        String seasonId = season == null ? null : seasons.require(season).seasonId();
        Optional<SseEmitter> stream = live.watch(new LiveView.Player(playerId, seasonId));
        if (stream.isEmpty() && eventStore.lastSequenceNumberFor(playerId).isPresent()) {
            // Registered, and not in the read model yet: a stream opened a moment after the registration starts
            // once the standings have caught up with the store's head.
            minPosition.await(StandingsProjection.NAME, positions.head());
            stream = live.watch(new LiveView.Player(playerId, seasonId));
        }
        return stream(stream.orElseThrow(() -> new NotFound("player " + playerId)));
    }

    @Operation(
            summary = "The top of the leaderboard, live (server-sent events)",
            description = "`text/event-stream`. The first message is the top `limit` (1-1000, default 100) as "
                    + "`GET /api/leaderboard?limit=N` answers it; then a message with the whole page whenever it "
                    + "changed, and an SSE comment as heartbeat every 15 s. Reconnects as the player stream does. With "
                    + "`season`, the season's top `limit`.")
    @ReadModel({StandingsProjection.NAME, MatchesProjection.NAME})
    @Answers(
            id = "streamLeaderboard",
            audience = Audience.DASHBOARDS,
            roles = Role.READER,
            problems = ProblemType.NOT_FOUND)
    @GetMapping(path = "/api/leaderboard/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> leaderboard(
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
            @RequestParam(required = false) @Pattern(regexp = SeasonScope.SEASON) String season) {
        String seasonId = season == null ? null : seasons.require(season).seasonId();
        return stream(live.watch(new LiveView.Leaderboard(limit, seasonId)).orElseThrow());
    }

    private static ResponseEntity<SseEmitter> stream(SseEmitter emitter) {
        // A buffering proxy (nginx) would hold the messages back; this asks it not to.
        return ResponseEntity.ok().header("X-Accel-Buffering", "no").body(emitter);
    }
}
