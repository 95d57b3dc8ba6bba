package io.matchledger.projections.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** What a game backend can subscribe to (ADR 0017), by the name it is delivered under. */
public enum WebhookEvent {
    /** A season was sealed: its seal, and where its final standings are read. */
    SEASON_SEALED("season.sealed"),
    /** A match was voided: its reversals on both players' ledgers. */
    MATCH_VOIDED("match.voided"),
    /** A player entered the all-time top N (the subscription's N). */
    LEADERBOARD_ENTERED("leaderboard.entered"),
    /** A player left the all-time top N. */
    LEADERBOARD_LEFT("leaderboard.left"),
    /** A player entered the top N of a season, in the season their match counts in. */
    SEASON_LEADERBOARD_ENTERED("season.leaderboard.entered"),
    /** A player left the top N of a season. */
    SEASON_LEADERBOARD_LEFT("season.leaderboard.left");

    private final String type;

    WebhookEvent(String type) {
        this.type = type;
    }

    /** The name of the type, as subscribed to and delivered. */
    public String type() {
        return type;
    }

    /** Whether a subscription to it needs its N (topN). */
    public boolean needsTopN() {
        return this != SEASON_SEALED && this != MATCH_VOIDED;
    }

    /** Whether it is about a season's leaderboard rather than the all-time one. */
    public boolean seasonal() {
        return this == SEASON_LEADERBOARD_ENTERED || this == SEASON_LEADERBOARD_LEFT;
    }

    public static Optional<WebhookEvent> of(String type) {
        return Arrays.stream(values()).filter(event -> event.type.equals(type)).findFirst();
    }
}
