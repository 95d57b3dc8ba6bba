package io.matchledger.projections.webhooks;

import static io.matchledger.projections.webhooks.Subscriptions.at;

import io.matchledger.core.api.SeasonWindow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The seasons as the webhooks' processor knows them, placing matches as ADR 0013 does: a match counts in the season
 * whose window holds its {@code occurredAt} when the ledger recorded it before the season's close, and so does its
 * void. A season is watched (its top N notified) only when it was defined before it started: one defined later would
 * count matches recorded before its definition, which this processor, reading forward, never placed in it. Its top N is
 * then not notified at all rather than wrongly (ADR 0017).
 */
final class WebhookSeasons {

    private final JdbcTemplate jdbc;

    WebhookSeasons(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the windows; returns the seasons newly watched. */
    List<String> define(List<SeasonWindow> windows, Instant definedAt) {
        List<String> watched = new ArrayList<>();
        for (SeasonWindow season : windows) {
            int moved = jdbc.update(
                    "update webhook_season set starts_at = ?, ends_at = ?, closes_at = ? where season_id = ?",
                    at(season.start()),
                    at(season.end()),
                    at(season.closesAt()),
                    season.seasonId());
            if (moved == 0) {
                boolean ahead = definedAt.isBefore(season.start());
                jdbc.update(
                        "insert into webhook_season (season_id, starts_at, ends_at, closes_at, watched) "
                                + "values (?, ?, ?, ?, ?)",
                        season.seasonId(),
                        at(season.start()),
                        at(season.end()),
                        at(season.closesAt()),
                        ahead);
                if (ahead) {
                    watched.add(season.seasonId());
                }
            }
        }
        return watched;
    }

    void endEarly(String seasonId, Instant end) {
        jdbc.query(
                "select ends_at, closes_at from webhook_season where season_id = ?",
                row -> {
                    Instant plannedEnd = row.getObject(1, OffsetDateTime.class).toInstant();
                    Instant closes = row.getObject(2, OffsetDateTime.class).toInstant();
                    jdbc.update(
                            "update webhook_season set ends_at = ?, closes_at = ? where season_id = ?",
                            at(end),
                            at(end.plus(java.time.Duration.between(plannedEnd, closes))),
                            seasonId);
                },
                seasonId);
    }

    /** The watched season a match counts in, remembered for its void; empty when none. */
    Optional<String> countIn(String matchId, Instant occurredAt, Instant recordedAt) {
        Optional<String> season = jdbc
                .queryForList(
                        "select season_id from webhook_season where watched = true and starts_at <= ? "
                                + "and ends_at > ? and closes_at > ?",
                        String.class,
                        at(occurredAt),
                        at(occurredAt),
                        at(recordedAt))
                .stream()
                .findFirst();
        season.ifPresent(seasonId -> {
            if (jdbc.update("update webhook_match_season set season_id = season_id where match_id = ?", matchId) == 0) {
                jdbc.update("insert into webhook_match_season (match_id, season_id) values (?, ?)", matchId, seasonId);
            }
        });
        return season;
    }

    /** The watched season a voided match counted in, when the void too was recorded before its close. */
    Optional<String> voidIn(String matchId, Instant voidedAt) {
        return jdbc
                .queryForList(
                        "select m.season_id from webhook_match_season m join webhook_season s "
                                + "on s.season_id = m.season_id where m.match_id = ? and s.closes_at > ?",
                        String.class,
                        matchId,
                        at(voidedAt))
                .stream()
                .findFirst();
    }

    boolean watched(String seasonId) {
        return Boolean.TRUE.equals(
                jdbc
                        .queryForList("select watched from webhook_season where season_id = ?", Boolean.class, seasonId)
                        .stream()
                        .findFirst()
                        .orElse(false));
    }

    /** Watched seasons that have not closed: those whose top N can still change. */
    List<String> open(Instant now) {
        return jdbc.queryForList(
                "select season_id from webhook_season where watched = true and closes_at > ?", String.class, at(now));
    }
}
