package io.matchledger.projections;

import static io.matchledger.projections.LedgerScript.time;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonSealed;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.LedgerScript.Written;
import io.matchledger.projections.personal.PlayerKeyTable;
import io.matchledger.projections.webhooks.Deliveries;
import io.matchledger.projections.webhooks.Delivery;
import io.matchledger.projections.webhooks.Subscription;
import io.matchledger.projections.webhooks.Subscriptions;
import io.matchledger.projections.webhooks.WebhookEvent;
import io.matchledger.projections.webhooks.WebhookNotifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The webhooks' processor fed the events the ledger writes: what it queues for whom (ADR 0017), from which position
 * on, with which payload, and the all-time top N's entries and exits as matches move the totals.
 */
// On a migrated H2 without Spring (MigratedH2): each event commits on its own, as in an event processor.
class WebhookNotifierTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static MigratedH2 db;

    final PlatformTransactionManager transactionManager = db.transactions;
    final JdbcTemplate jdbc = db.jdbc;
    final PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
    final Subscriptions subscriptions = new Subscriptions(db.dataSource);
    final Deliveries deliveries = new Deliveries(db.dataSource);
    final WebhookNotifier notifier = new WebhookNotifier(db.dataSource, subscriptions, deliveries);

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    LedgerScript ledger;

    @BeforeEach
    void noSubscriptions() {
        for (String table : List.of(
                "webhook_delivery",
                "webhook_subscription",
                "webhook_top_member",
                "webhook_top_group",
                "webhook_standing",
                "webhook_match_season",
                "webhook_season")) {
            jdbc.update("delete from " + table);
        }
        ledger = new LedgerScript(personal, transactionManager, notifier);
    }

    @Test
    void aVoidIsQueuedForTheSubscriptionsToVoidsWithBothReversals() {
        subscribe("voids", null, 0, WebhookEvent.MATCH_VOIDED);
        subscribe("seals", null, 0, WebhookEvent.SEASON_SEALED);
        ledger.at(1).register("ann", "Ann");
        ledger.register("bob", "Bob");
        ledger.win("m-1", "ann", "bob", time(0));

        List<Written> voided = ledger.voidMatch("m-1");

        List<Delivery> queued = queued("voids");
        assertThat(queued).hasSize(1);
        Delivery delivery = queued.get(0);
        assertThat(delivery.eventType()).isEqualTo("match.voided");
        assertThat(delivery.state()).isEqualTo(Delivery.State.PENDING);
        assertThat(delivery.attempts()).isZero();
        assertThat(delivery.eventId()).isEqualTo(voided.get(2).messages().get(0).getIdentifier());
        JsonNode body = json(delivery);
        assertThat(body.get("type").asText()).isEqualTo("match.voided");
        assertThat(body.get("position").asLong())
                .isEqualTo(voided.get(2)
                        .messages()
                        .get(0)
                        .trackingToken()
                        .position()
                        .orElseThrow());
        assertThat(body.at("/data/matchId").asText()).isEqualTo("m-1");
        assertThat(body.at("/data/reason").asText()).isEqualTo("reported by mistake");
        assertThat(body.at("/data/players/0/playerId").asText()).isEqualTo("ann");
        assertThat(body.at("/data/players/0/points").asInt()).isEqualTo(-3);
        assertThat(body.at("/data/players/0/total").asLong()).isZero();
        assertThat(body.at("/data/players/1/playerId").asText()).isEqualTo("bob");
        assertThat(body.at("/data/players/1/points").asInt()).isZero();
        assertThat(queued("seals")).as("subscribed to seals only").isEmpty();
    }

    @Test
    void aSubscriptionIsToldOfTheEventsAfterThePositionItWasMadeAtOnly() {
        ledger.register("ann", "Ann");
        ledger.register("bob", "Bob");
        ledger.win("m-1", "ann", "bob", time(0));
        ledger.win("m-2", "ann", "bob", time(0));
        long head = ledger.position() - 1;
        subscribe("late", null, head, WebhookEvent.MATCH_VOIDED);
        subscribe("early", null, 0, WebhookEvent.MATCH_VOIDED);

        ledger.voidMatch("m-1");

        assertThat(queued("late")).hasSize(1);
        assertThat(queued("early")).hasSize(1);
        // Made after the void: nothing of it.
        subscribe("later", null, ledger.position() - 1, WebhookEvent.MATCH_VOIDED);
        ledger.voidMatch("m-2");
        assertThat(queued("later")).hasSize(1);
        assertThat(json(queued("later").get(0)).at("/data/matchId").asText()).isEqualTo("m-2");
        assertThat(queued("early"))
                .extracting(d -> json(d).at("/data/matchId").asText())
                .containsExactly("m-1", "m-2");
    }

    @Test
    void aSealIsQueuedWithWhereTheSeasonsStandingsAndProofAreRead() {
        subscribe("seals", null, 0, WebhookEvent.SEASON_SEALED);
        SeasonSeal seal = new SeasonSeal("s1", "v1", 3, 14, 6, 1, "e".repeat(64), 2, "s".repeat(64));

        ledger.at(5).seal(seal);

        List<Delivery> queued = queued("seals");
        assertThat(queued).hasSize(1);
        JsonNode body = json(queued.get(0));
        assertThat(body.get("type").asText()).isEqualTo("season.sealed");
        assertThat(body.get("createdAt").asText()).isEqualTo(time(5).toString());
        assertThat(body.at("/data/seasonId").asText()).isEqualTo("s1");
        assertThat(body.at("/data/seal/eventsSha256").asText()).isEqualTo("e".repeat(64));
        assertThat(body.at("/data/seal/matches").asLong()).isEqualTo(1);
        assertThat(body.at("/data/standings").asText()).isEqualTo("/api/leaderboard?season=s1");
        assertThat(body.at("/data/season").asText()).isEqualTo("/api/seasons/s1");
        assertThat(body.at("/data/proof").asText()).isEqualTo("/api/seasons/s1/proof");
    }

    @Test
    void playersEnteringAndLeavingTheAllTimeTopNAreQueuedForItsSubscribers() {
        subscribe("top2", 2, 0, WebhookEvent.LEADERBOARD_ENTERED, WebhookEvent.LEADERBOARD_LEFT);
        subscribe("top3", 3, 0, WebhookEvent.LEADERBOARD_ENTERED);
        ledger.at(1).register("ann", "Ann");
        ledger.register("bob", "Bob");
        ledger.register("cid", "Cid");
        ledger.register("dan", "Dan");
        List<String> registered = moves("top2");
        // The first two registered fill the top 2 at 0 points, the next ones stay out.
        assertThat(registered).containsExactly("leaderboard.entered ann #1", "leaderboard.entered bob #2");

        ledger.win("m-1", "dan", "cid", time(0));

        assertThat(moves("top2").subList(registered.size(), moves("top2").size()))
                .containsExactly("leaderboard.entered dan #1", "leaderboard.left bob #3");
        assertThat(moves("top3")).endsWith("leaderboard.entered dan #1");
        assertThat(moves("top3")).noneMatch(move -> move.startsWith("leaderboard.left"));
        int before = moves("top2").size();

        ledger.voidMatch("m-1");

        assertThat(moves("top2").subList(before, moves("top2").size()))
                .as("dan falls back to 0, reached last: behind ann, bob and cid")
                .containsExactly("leaderboard.entered bob #2", "leaderboard.left dan #4");
    }

    @Test
    void anAdjustmentMovesTheAllTimeTopNAsAMatchDoes() {
        subscribe("top1", 1, 0, WebhookEvent.LEADERBOARD_ENTERED, WebhookEvent.LEADERBOARD_LEFT);
        ledger.at(1).register("ann", "Ann");
        ledger.register("bob", "Bob");

        ledger.book("bob", "adj-1", 5);

        assertThat(moves("top1"))
                .containsExactly("leaderboard.entered ann #1", "leaderboard.entered bob #1", "leaderboard.left ann #2");
        assertThat(json(queued("top1").get(1)).at("/data/points").asLong()).isEqualTo(5);
    }

    @Test
    void anAllTimeTopNSubscribedLaterIsWatchedFromTheStandingsAsTheyAre() {
        ledger.at(1).register("ann", "Ann");
        ledger.register("bob", "Bob");
        ledger.win("m-1", "ann", "bob", time(0));
        subscribe("top1", 1, 0, WebhookEvent.LEADERBOARD_ENTERED, WebhookEvent.LEADERBOARD_LEFT);

        ledger.register("cid", "Cid");
        ledger.win("m-2", "bob", "cid", time(0));
        assertThat(moves("top1")).as("ann led already: she did not enter").isEmpty();

        ledger.win("m-3", "bob", "cid", time(0));
        assertThat(moves("top1")).containsExactly("leaderboard.entered bob #1", "leaderboard.left ann #2");
    }

    @Test
    void theSameMoveHasTheSameIdSoThatAReceiverCanDropARepeat() {
        subscribe("top1", 1, 0, WebhookEvent.LEADERBOARD_ENTERED, WebhookEvent.LEADERBOARD_LEFT);
        ledger.at(1).register("ann", "Ann");
        ledger.register("bob", "Bob");
        ledger.win("m-1", "bob", "ann", time(0));

        List<Delivery> queued = queued("top1");
        assertThat(queued).extracting(Delivery::eventId).doesNotHaveDuplicates();
        for (Delivery delivery : queued) {
            assertThat(delivery.eventId()).isEqualTo(json(delivery).get("id").asText());
        }
    }

    @Test
    void theAllTimeTopNBreaksATieAtZeroByWhoRegisteredFirst() {
        subscribe("top1", 1, 0, WebhookEvent.LEADERBOARD_ENTERED);
        ledger.at(1).register("zed", "Zed");
        ledger.at(2).register("amy", "Amy");

        assertThat(moves("top1")).containsExactly("leaderboard.entered zed #1");
    }

    @Test
    void aHandlerCalledOutsideAProcessorsUnitOfWorkQueuesAtOnce() {
        subscribe("seals", null, -1, WebhookEvent.SEASON_SEALED);
        SeasonSeal seal = new SeasonSeal("s1", "v1", 3, 14, 6, 1, "e".repeat(64), 2, "s".repeat(64));
        TrackedEventMessage<?> sealed = new GenericTrackedEventMessage<>(
                new GlobalSequenceTrackingToken(7), GenericEventMessage.asEventMessage(new SeasonSealed(seal)));

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            try {
                new AnnotationEventHandlerAdapter(notifier).handle(sealed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(queued("seals")).extracting(Delivery::eventId).containsExactly(sealed.getIdentifier());
    }

    /**
     * A season's top N (ADR 0017): matches count in the watched season whose window holds their {@code occurredAt}
     * when recorded before its close, and so do their voids (ADR 0013).
     */
    @Nested
    class SeasonTopN {

        /** Opens at position 10, ends at 100, closes at 110. */
        final SeasonWindow season = new SeasonWindow("s1", "Season one", time(10), time(100), Duration.ofSeconds(10));

        @BeforeEach
        void twoPlayers() {
            ledger.at(1).register("zed", "Zed");
            ledger.register("amy", "Amy");
        }

        @Test
        void aSeasonDefinedBeforeItStartsIsWatchedAndItsMovesNameIt() {
            subscribe("s-top1", 1, 0, WebhookEvent.SEASON_LEADERBOARD_ENTERED, WebhookEvent.SEASON_LEADERBOARD_LEFT);
            ledger.defineSeasons(season);

            ledger.at(20).win("m-1", "amy", "zed", time(20));
            ledger.win("m-before", "zed", "amy", time(5));
            assertThat(moves("s-top1"))
                    .as("a match played before the season is not in it")
                    .containsExactly("season.leaderboard.entered amy #1");
            assertThat(json(queued("s-top1").get(0)).at("/data/seasonId").asText())
                    .isEqualTo("s1");

            ledger.win("m-2", "zed", "amy", time(30));
            ledger.win("m-3", "zed", "amy", time(31));
            assertThat(moves("s-top1"))
                    .containsExactly(
                            "season.leaderboard.entered amy #1",
                            "season.leaderboard.entered zed #1",
                            "season.leaderboard.left amy #2");

            ledger.voidMatch("m-3");
            assertThat(moves("s-top1")).hasSize(5).endsWith("season.leaderboard.left zed #2");

            // Recorded after the close: neither a void nor a match moves the sealed top N.
            ledger.at(115).voidMatch("m-1");
            ledger.win("m-late", "zed", "amy", time(50));
            assertThat(moves("s-top1")).hasSize(5);
        }

        /** As a replay of the webhooks' processor delivers them: the definition and the first match in one batch. */
        @Test
        void aSeasonDefinedInTheBatchOfItsFirstMatchIsWatchedFromItsDefinition() {
            subscribe("s-top1", 1, 0, WebhookEvent.SEASON_LEADERBOARD_ENTERED, WebhookEvent.SEASON_LEADERBOARD_LEFT);
            ledger.holding();
            List<Written> batch = new ArrayList<>();
            batch.add(ledger.defineSeasons(season));
            batch.addAll(ledger.at(20).win("m-1", "amy", "zed", time(20)));
            ledger.held();
            ledger.feed(0)
                    .deliverTogether(batch.stream()
                            .<TrackedEventMessage<?>>map(
                                    written -> written.messages().get(0))
                            .toList());
            assertThat(moves("s-top1")).containsExactly("season.leaderboard.entered amy #1");

            ledger.win("m-2", "zed", "amy", time(30));
            ledger.win("m-3", "zed", "amy", time(31));
            assertThat(moves("s-top1"))
                    .containsExactly(
                            "season.leaderboard.entered amy #1",
                            "season.leaderboard.entered zed #1",
                            "season.leaderboard.left amy #2");
        }

        @Test
        void aSeasonDefinedAfterItStartedIsNotWatched() {
            subscribe("s-top1", 1, 0, WebhookEvent.SEASON_LEADERBOARD_ENTERED, WebhookEvent.SEASON_LEADERBOARD_LEFT);
            subscribe("top1", 1, 0, WebhookEvent.LEADERBOARD_ENTERED, WebhookEvent.LEADERBOARD_LEFT);
            ledger.at(12).defineSeasons(season);

            ledger.win("m-1", "amy", "zed", time(20));

            assertThat(moves("s-top1")).isEmpty();
            assertThat(moves("top1")).as("the all-time top N goes on").contains("leaderboard.entered amy #1");
        }

        @Test
        void aSeasonEndedEarlyCountsNothingPlayedAfterItsNewEndNorRecordedAfterItsNewClose() {
            subscribe("s-top1", 1, 0, WebhookEvent.SEASON_LEADERBOARD_ENTERED, WebhookEvent.SEASON_LEADERBOARD_LEFT);
            ledger.defineSeasons(season);
            // Ends at 50 and so closes at 60, its grace kept.
            ledger.at(20).endEarly("s1", time(50), time(100));

            ledger.win("m-after-end", "amy", "zed", time(55));
            assertThat(moves("s-top1")).isEmpty();
            ledger.at(61).win("m-after-close", "amy", "zed", time(40));
            assertThat(moves("s-top1")).isEmpty();
        }

        @Test
        void aSeasonRedefinedKeepsBeingWatchedWithItsNewWindow() {
            subscribe("s-top1", 1, 0, WebhookEvent.SEASON_LEADERBOARD_ENTERED, WebhookEvent.SEASON_LEADERBOARD_LEFT);
            ledger.defineSeasons(season);
            ledger.defineSeasons(new SeasonWindow("s1", "Season one", time(10), time(40), Duration.ofSeconds(10)));

            ledger.at(20).win("m-after-end", "amy", "zed", time(45));
            assertThat(moves("s-top1")).isEmpty();
            ledger.win("m-1", "amy", "zed", time(30));
            assertThat(moves("s-top1")).containsExactly("season.leaderboard.entered amy #1");
        }

        @Test
        void aSeasonalTopNSubscribedLaterIsWatchedFromTheStandingsAsTheyAreAndDroppedWithItsLastSubscription() {
            ledger.defineSeasons(season);
            ledger.at(20).win("m-1", "amy", "zed", time(20));
            subscribe("s-top1", 1, 0, WebhookEvent.SEASON_LEADERBOARD_ENTERED, WebhookEvent.SEASON_LEADERBOARD_LEFT);

            ledger.win("m-2", "amy", "zed", time(21));
            assertThat(moves("s-top1")).as("amy led already: she did not enter").isEmpty();
            assertThat(watched()).containsExactly("s1 1");

            ledger.win("m-3", "zed", "amy", time(22));
            ledger.win("m-4", "zed", "amy", time(23));
            ledger.win("m-5", "zed", "amy", time(24));
            assertThat(moves("s-top1"))
                    .containsExactly("season.leaderboard.entered zed #1", "season.leaderboard.left amy #2");

            subscriptions.delete("s-top1");
            ledger.win("m-6", "amy", "zed", time(25));
            assertThat(watched()).isEmpty();
        }

        private List<String> watched() {
            return jdbc.queryForList("select scope || ' ' || top_n from webhook_top_group", String.class);
        }
    }

    private void subscribe(String webhookId, Integer topN, long fromPosition, WebhookEvent... events) {
        subscriptions.create(new Subscription(
                webhookId,
                "http://127.0.0.1:1/" + webhookId,
                Set.of(events),
                topN,
                "cipher",
                Subscription.Status.ACTIVE,
                0,
                null,
                fromPosition,
                time(0),
                time(0)));
    }

    /** Oldest first. */
    private List<Delivery> queued(String webhookId) {
        List<Delivery> page = new ArrayList<>(deliveries.page(webhookId, null, 1_000));
        Collections.reverse(page);
        return page;
    }

    /** "type player #rank", oldest first. */
    private List<String> moves(String webhookId) {
        return queued(webhookId).stream()
                .map(this::json)
                .map(body -> body.get("type").asText() + " "
                        + body.at("/data/playerId").asText() + " #"
                        + body.at("/data/rank").asLong())
                .toList();
    }

    private JsonNode json(Delivery delivery) {
        try {
            return JSON.readTree(delivery.payload());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
