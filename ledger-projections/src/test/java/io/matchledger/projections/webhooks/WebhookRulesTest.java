package io.matchledger.projections.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a subscription is told of: its types, its N for the leaderboards, and only what came after it was made. */
class WebhookRulesTest {

    @Test
    void eachTypeHasTheNameItIsSubscribedToAndDeliveredUnder() {
        assertThat(Arrays.stream(WebhookEvent.values()).map(WebhookEvent::type))
                .containsExactly(
                        "season.sealed",
                        "match.voided",
                        "leaderboard.entered",
                        "leaderboard.left",
                        "season.leaderboard.entered",
                        "season.leaderboard.left");
        for (WebhookEvent event : WebhookEvent.values()) {
            assertThat(WebhookEvent.of(event.type())).contains(event);
        }
        assertThat(WebhookEvent.of("leaderboard")).isEmpty();
        assertThat(WebhookEvent.of("LEADERBOARD_ENTERED")).isEmpty();
    }

    @Test
    void onlyTheLeaderboardTypesNeedAnNAndOnlyTheSeasonsOnesAreSeasonal() {
        assertThat(WebhookEvent.SEASON_SEALED.needsTopN()).isFalse();
        assertThat(WebhookEvent.MATCH_VOIDED.needsTopN()).isFalse();
        assertThat(WebhookEvent.LEADERBOARD_ENTERED.needsTopN()).isTrue();
        assertThat(WebhookEvent.LEADERBOARD_LEFT.needsTopN()).isTrue();
        assertThat(WebhookEvent.SEASON_LEADERBOARD_ENTERED.needsTopN()).isTrue();
        assertThat(WebhookEvent.SEASON_LEADERBOARD_LEFT.needsTopN()).isTrue();

        assertThat(WebhookEvent.SEASON_LEADERBOARD_ENTERED.seasonal()).isTrue();
        assertThat(WebhookEvent.SEASON_LEADERBOARD_LEFT.seasonal()).isTrue();
        assertThat(WebhookEvent.LEADERBOARD_ENTERED.seasonal()).isFalse();
        assertThat(WebhookEvent.LEADERBOARD_LEFT.seasonal()).isFalse();
        assertThat(WebhookEvent.SEASON_SEALED.seasonal()).isFalse();
        assertThat(WebhookEvent.MATCH_VOIDED.seasonal()).isFalse();
    }

    @Test
    void aSubscriptionWantsItsTypesAfterItsPositionOnly() {
        Subscription voids = subscription(null, 10, WebhookEvent.MATCH_VOIDED);

        assertThat(voids.wants(WebhookEvent.MATCH_VOIDED, null, 11)).isTrue();
        assertThat(voids.wants(WebhookEvent.MATCH_VOIDED, null, 10))
                .as("the head when it was made")
                .isFalse();
        assertThat(voids.wants(WebhookEvent.MATCH_VOIDED, null, 9)).isFalse();
        assertThat(voids.wants(WebhookEvent.SEASON_SEALED, null, 11)).isFalse();
    }

    @Test
    void aLeaderboardSubscriptionWantsTheMovesOfItsOwnTopNOnly() {
        Subscription top10 = subscription(10, 0, WebhookEvent.LEADERBOARD_ENTERED, WebhookEvent.MATCH_VOIDED);

        assertThat(top10.wants(WebhookEvent.LEADERBOARD_ENTERED, 10, 1)).isTrue();
        assertThat(top10.wants(WebhookEvent.LEADERBOARD_ENTERED, 3, 1)).isFalse();
        assertThat(top10.wants(WebhookEvent.LEADERBOARD_LEFT, 10, 1)).isFalse();
        assertThat(top10.wants(WebhookEvent.MATCH_VOIDED, null, 1))
                .as("a type without N is wanted whatever the subscription's N")
                .isTrue();
    }

    private static Subscription subscription(Integer topN, long fromPosition, WebhookEvent... events) {
        Instant at = Instant.parse("2026-11-26T10:00:00Z");
        return new Subscription(
                "w-1",
                "http://127.0.0.1:1/w-1",
                Set.of(events),
                topN,
                "cipher",
                Subscription.Status.ACTIVE,
                0,
                null,
                fromPosition,
                at,
                at);
    }
}
