package io.matchledger.projections.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.core.api.AdjustmentBooked;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.SeasonEndedEarly;
import io.matchledger.core.api.SeasonSealed;
import io.matchledger.core.api.SeasonsDefined;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.core.api.Share;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The webhooks' own streaming processor (ADR 0017): reads every event of the store in order, in one segment, beside
 * the read models and independent of them (a receiver that is down holds nothing back but its own queue), and turns
 * what game backends subscribe to into deliveries, queued in the transaction that moves its token: a ledger event is
 * queued for each subscription once, whatever crashes, and the senders deliver it at least once.
 */
@Component
@ProcessingGroup(WebhookNotifier.PROCESSING_GROUP)
public class WebhookNotifier {

    public static final String PROCESSING_GROUP = "webhooks";

    private final JdbcTemplate jdbc;
    private final TopBoards boards;
    private final WebhookSeasons seasons;
    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final ObjectMapper json = new ObjectMapper();

    public WebhookNotifier(DataSource dataSource, Subscriptions subscriptions, Deliveries deliveries) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.boards = new TopBoards(jdbc);
        this.seasons = new WebhookSeasons(jdbc);
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
    }

    @EventHandler
    void on(PlayerRegistered event, EventMessage<?> message, TrackingToken token) {
        WebhookBatch batch = batch(message.getTimestamp());
        boards.register(event.playerId(), millis(message));
        allTimeChanged(batch, Set.of(event.playerId()), message, token);
    }

    @EventHandler
    void on(MatchRecorded event, @Timestamp Instant recordedAt) {
        batch(recordedAt);
        boards.allTime(event.playerId(), event.points(), recordedAt.toEpochMilli());
    }

    @EventHandler
    void on(MatchVoided event, @Timestamp Instant recordedAt) {
        batch(recordedAt);
        boards.allTime(event.playerId(), event.points(), recordedAt.toEpochMilli());
    }

    @EventHandler
    void on(PointsAdjusted event, @Timestamp Instant recordedAt) {
        batch(recordedAt);
        boards.allTime(event.playerId(), event.points(), recordedAt.toEpochMilli());
    }

    /** The last event of a match: both players' ledgers have it by now. */
    @EventHandler
    void on(MatchSettled event, EventMessage<?> message, TrackingToken token) {
        WebhookBatch batch = batch(message.getTimestamp());
        allTimeChanged(batch, players(event.players()), message, token);
        seasons.countIn(event.matchId(), event.occurredAt(), message.getTimestamp())
                .ifPresent(seasonId -> {
                    event.players()
                            .forEach(share ->
                                    boards.season(seasonId, share.playerId(), share.points(), millis(message)));
                    seasonChanged(batch, seasonId, players(event.players()), message, token);
                });
    }

    @EventHandler
    void on(SettlementVoided event, EventMessage<?> message, TrackingToken token) {
        WebhookBatch batch = batch(message.getTimestamp());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("matchId", event.matchId());
        data.put("reason", event.reason());
        data.put(
                "players",
                event.reversals().stream()
                        .map(share -> Map.of(
                                "playerId", share.playerId(),
                                "points", share.points(),
                                "total", share.totalAfter()))
                        .toList());
        notify(batch, WebhookEvent.MATCH_VOIDED, null, message.getIdentifier(), data, message, token);
        allTimeChanged(batch, players(event.reversals()), message, token);
        seasons.voidIn(event.matchId(), message.getTimestamp()).ifPresent(seasonId -> {
            event.reversals()
                    .forEach(share -> boards.season(seasonId, share.playerId(), share.points(), millis(message)));
            seasonChanged(batch, seasonId, players(event.reversals()), message, token);
        });
    }

    @EventHandler
    void on(AdjustmentBooked event, EventMessage<?> message, TrackingToken token) {
        allTimeChanged(batch(message.getTimestamp()), Set.of(event.playerId()), message, token);
    }

    @EventHandler
    void on(SeasonsDefined event, @Timestamp Instant definedAt) {
        WebhookBatch batch = batch(definedAt);
        seasons.define(event.seasons(), definedAt)
                .forEach(seasonId -> batch.seasonalTopNs().forEach(topN -> boards.watch(seasonId, topN)));
    }

    @EventHandler
    void on(SeasonEndedEarly event, @Timestamp Instant recordedAt) {
        batch(recordedAt);
        seasons.endEarly(event.seasonId(), event.end());
    }

    @EventHandler
    void on(SeasonSealed event, EventMessage<?> message, TrackingToken token) {
        String seasonId = event.seal().seasonId();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("seasonId", seasonId);
        data.put("seal", event.seal());
        data.put("standings", "/api/leaderboard?season=" + seasonId);
        data.put("season", "/api/seasons/" + seasonId);
        data.put("proof", "/api/seasons/" + seasonId + "/proof");
        notify(
                batch(message.getTimestamp()),
                WebhookEvent.SEASON_SEALED,
                null,
                message.getIdentifier(),
                data,
                message,
                token);
    }

    private void allTimeChanged(WebhookBatch batch, Set<String> moved, EventMessage<?> message, TrackingToken token) {
        for (int topN : batch.allTimeTopNs()) {
            for (TopBoards.Move move : boards.compare(TopBoards.ALL_TIME, topN, moved)) {
                WebhookEvent type = move.entered() ? WebhookEvent.LEADERBOARD_ENTERED : WebhookEvent.LEADERBOARD_LEFT;
                notify(
                        batch,
                        type,
                        topN,
                        moveId(message, type, TopBoards.ALL_TIME, topN, move),
                        data(move, topN, null),
                        message,
                        token);
            }
        }
    }

    private void seasonChanged(
            WebhookBatch batch, String seasonId, Set<String> moved, EventMessage<?> message, TrackingToken token) {
        if (!seasons.watched(seasonId)) {
            return;
        }
        for (int topN : batch.seasonalTopNs()) {
            for (TopBoards.Move move : boards.compare(seasonId, topN, moved)) {
                WebhookEvent type =
                        move.entered() ? WebhookEvent.SEASON_LEADERBOARD_ENTERED : WebhookEvent.SEASON_LEADERBOARD_LEFT;
                notify(
                        batch,
                        type,
                        topN,
                        moveId(message, type, seasonId, topN, move),
                        data(move, topN, seasonId),
                        message,
                        token);
            }
        }
    }

    private static Map<String, Object> data(TopBoards.Move move, int topN, String seasonId) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (seasonId != null) {
            data.put("seasonId", seasonId);
        }
        data.put("playerId", move.playerId());
        data.put("topN", topN);
        data.put("rank", move.rank());
        data.put("points", move.points());
        return data;
    }

    /** One id per notification, the same however often the batch is processed: the receiver's idempotency key. */
    private static String moveId(
            EventMessage<?> message, WebhookEvent type, String scope, int topN, TopBoards.Move move) {
        return UUID.nameUUIDFromBytes(String.join(
                                "|",
                                message.getIdentifier(),
                                type.type(),
                                scope,
                                Integer.toString(topN),
                                move.playerId())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    private void notify(
            WebhookBatch batch,
            WebhookEvent type,
            Integer topN,
            String eventId,
            Map<String, Object> data,
            EventMessage<?> message,
            TrackingToken token) {
        long position = token == null ? 0 : token.position().orElse(0);
        List<Subscription> receivers = batch.subscriptions().stream()
                .filter(subscription -> subscription.wants(type, topN, position))
                .toList();
        if (receivers.isEmpty()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", eventId);
        body.put("type", type.type());
        body.put("createdAt", message.getTimestamp().toString());
        body.put("position", position);
        body.put("data", data);
        String payload;
        try {
            payload = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook payload of " + type.type(), e);
        }
        receivers.forEach(subscription -> batch.queue(new Deliveries.Queued(
                subscription.webhookId(), eventId, type.type(), payload, message.getTimestamp())));
    }

    /** The batch of the event recorded at {@code recordedAt}: the seasons open then are those it can count in. */
    private WebhookBatch batch(Instant recordedAt) {
        return WebhookBatch.current(
                () -> WebhookBatch.start(subscriptions.all(), boards, seasons, recordedAt), deliveries);
    }

    private static Set<String> players(List<Share> shares) {
        Set<String> players = new LinkedHashSet<>();
        shares.forEach(share -> players.add(share.playerId()));
        return players;
    }

    private static long millis(EventMessage<?> message) {
        return message.getTimestamp().toEpochMilli();
    }
}
