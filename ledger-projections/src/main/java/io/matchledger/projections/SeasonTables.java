package io.matchledger.projections;

import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.SeasonEndedEarly;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonWindow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The seasons' tables, kept by {@link MatchesProjection}: the calendar ({@code season}), each match's season in
 * {@code match_record}, and the season standings ({@link SeasonStandings}).
 * <p>
 * <b>Placement</b> (ADR 0013, stated in {@link SeasonWindow}): a match is in the season whose window holds its
 * {@code occurredAt}; it counts there
 * when the ledger recorded it before the season's close, and so does its void. A match or void recorded after the
 * close is a post-seal correction of that season: flagged ({@code season_late}, {@code void_late}), never counted.
 * All of it is a function of the match rows and the calendar, not of the order events arrive in: when a season is
 * defined, moved or ended early, its matches are placed again from the table ({@link #place}).
 */
final class SeasonTables {

    static final String SEASONS = "season";
    static final String STANDINGS = "season_standing";
    static final String TALLIES = "season_tally";

    private final JdbcTemplate jdbc;
    private final TableSet tables;
    private final String seasons;
    private final String matches;

    SeasonTables(JdbcTemplate jdbc, TableSet tables) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.seasons = tables.of(SEASONS);
        this.matches = tables.of(MatchWrites.MATCHES);
    }

    /** The windows as this model has them, by start. Few rows: read once per batch that records matches. */
    List<SeasonWindow> calendar() {
        return jdbc.query(
                "select season_id, name, starts_at, ends_at, grace_seconds from " + seasons + " order by starts_at",
                (row, n) -> new SeasonWindow(
                        row.getString(1),
                        row.getString(2),
                        instant(row, 3),
                        instant(row, 4),
                        Duration.ofSeconds(row.getLong(5))));
    }

    static Optional<SeasonWindow> seasonOf(List<SeasonWindow> calendar, Instant occurredAt) {
        for (SeasonWindow season : calendar) {
            if (season.holds(occurredAt)) {
                return Optional.of(season);
            }
        }
        return Optional.empty();
    }

    void define(List<SeasonWindow> defined, Instant at) {
        for (SeasonWindow season : defined) {
            Object[] window = {
                season.name(),
                ts(season.start()),
                ts(season.end()),
                ts(season.end()),
                season.grace().toSeconds(),
                ts(season.closesAt()),
                season.seasonId()
            };
            int updated = jdbc.update(
                    "update " + seasons + " set name = ?, starts_at = ?, ends_at = ?, planned_end = ?, "
                            + "grace_seconds = ?, closes_at = ? where season_id = ?",
                    window);
            if (updated == 0) {
                jdbc.update(
                        "insert into " + seasons + " (name, starts_at, ends_at, planned_end, grace_seconds, "
                                + "closes_at, season_id, defined_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                        season.name(),
                        ts(season.start()),
                        ts(season.end()),
                        ts(season.end()),
                        season.grace().toSeconds(),
                        ts(season.closesAt()),
                        season.seasonId(),
                        ts(at));
            }
        }
        place(defined.stream().map(SeasonWindow::seasonId).toList());
    }

    void endEarly(SeasonEndedEarly event) {
        SeasonWindow season = calendar().stream()
                .filter(known -> known.seasonId().equals(event.seasonId()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no season " + event.seasonId() + " to end"));
        jdbc.update(
                "update " + seasons + " set ends_at = ?, closes_at = ?, ended_early_reason = ? where season_id = ?",
                ts(event.end()),
                ts(event.end().plus(season.grace())),
                event.reason(),
                event.seasonId());
        place(List.of(event.seasonId()));
    }

    void seal(SeasonSeal seal, Instant at) {
        jdbc.update(
                "update " + seasons + " set seal_canonical_form = ?, seal_first_token = ?, seal_last_token = ?, "
                        + "seal_events = ?, seal_matches = ?, seal_events_sha256 = ?, seal_players = ?, "
                        + "seal_standings_sha256 = ?, sealed_at = ? where season_id = ?",
                seal.canonicalForm(),
                seal.firstToken(),
                seal.lastToken(),
                seal.events(),
                seal.matches(),
                seal.eventsSha256(),
                seal.players(),
                seal.standingsSha256(),
                ts(at),
                seal.seasonId());
    }

    void clear() {
        jdbc.update("delete from " + tables.of(TALLIES));
        jdbc.update("delete from " + tables.of(STANDINGS));
        jdbc.update("delete from " + seasons);
    }

    /**
     * Places the matches of these seasons again, from the table: takes the seasons' matches out, then counts every
     * match whose {@code occurredAt} is in one of their windows now. Seasons never overlap, so no other season's
     * matches move.
     */
    private void place(List<String> seasonIds) {
        List<SeasonWindow> windows = calendar().stream()
                .filter(season -> seasonIds.contains(season.seasonId()))
                .toList();
        String in = String.join(", ", Collections.nCopies(seasonIds.size(), "?"));
        jdbc.update("delete from " + tables.of(TALLIES) + " where season_id in (" + in + ")", seasonIds.toArray());
        jdbc.update("delete from " + tables.of(STANDINGS) + " where season_id in (" + in + ")", seasonIds.toArray());
        jdbc.update(
                "update " + matches + " set season_id = null, season_late = false, void_late = false "
                        + "where season_id in (" + in + ")",
                seasonIds.toArray());
        if (windows.isEmpty()) {
            return;
        }
        Instant from = windows.stream()
                .map(SeasonWindow::start)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Instant to = windows.stream()
                .map(SeasonWindow::end)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        List<Object[]> placed = new ArrayList<>();
        SeasonStandings standings = new SeasonStandings(jdbc, tables);
        jdbc.query(
                "select match_id, first_player_id, first_result, first_points, second_player_id, second_result, "
                        + "second_points, occurred_at, recorded_at, voided, voided_at from " + matches
                        + " where season_id is null and occurred_at >= ? and occurred_at < ?",
                row -> {
                    Instant occurredAt = instant(row, 8);
                    Optional<SeasonWindow> season = seasonOf(windows, occurredAt);
                    if (season.isEmpty()) {
                        return;
                    }
                    PlacedMatch match = new PlacedMatch(
                            row.getString(1),
                            row.getString(2),
                            MatchResult.valueOf(row.getString(3)),
                            row.getInt(4),
                            row.getString(5),
                            MatchResult.valueOf(row.getString(6)),
                            row.getInt(7),
                            instant(row, 9),
                            row.getBoolean(10),
                            instant(row, 11));
                    Placement placement = Placement.of(season.get(), match.recordedAt(), match.voidedAt());
                    placed.add(new Object[] {
                        season.get().seasonId(),
                        placement.late(),
                        match.voided() && placement.voidLate(),
                        match.matchId()
                    });
                    if (!placement.late()) {
                        match.count(standings, season.get().seasonId(), 1);
                        if (match.voided() && !placement.voidLate()) {
                            match.reverse(standings, season.get().seasonId());
                        }
                    }
                },
                ts(from),
                ts(to));
        jdbc.batchUpdate(
                "update " + matches + " set season_id = ?, season_late = ?, void_late = ? where match_id = ?", placed);
        standings.write();
    }

    /**
     * Where a match's recording and void fall against its season's close. A void without its instant (voided before
     * the ledger kept it) is taken as recorded with the match.
     */
    record Placement(boolean late, boolean voidLate) {
        static Placement of(SeasonWindow season, Instant recordedAt, Instant voidedAt) {
            boolean late = !season.inTime(recordedAt);
            boolean voidLate = voidedAt != null && !season.inTime(voidedAt);
            return new Placement(late, voidLate);
        }
    }

    /** A match row as the seasons need it. */
    record PlacedMatch(
            String matchId,
            String firstPlayerId,
            MatchResult firstResult,
            int firstPoints,
            String secondPlayerId,
            MatchResult secondResult,
            int secondPoints,
            Instant recordedAt,
            boolean voided,
            Instant voidedAt) {

        void count(SeasonStandings standings, String seasonId, int sign) {
            long at = recordedAt.toEpochMilli();
            standings.count(seasonId, firstPlayerId, firstResult, firstPoints, sign, at);
            standings.count(seasonId, secondPlayerId, secondResult, secondPoints, sign, at);
        }

        void reverse(SeasonStandings standings, String seasonId) {
            long at = (voidedAt != null ? voidedAt : recordedAt).toEpochMilli();
            standings.count(seasonId, firstPlayerId, firstResult, firstPoints, -1, at);
            standings.count(seasonId, secondPlayerId, secondResult, secondPoints, -1, at);
        }
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Object ts(Instant instant) {
        return new org.springframework.jdbc.core.SqlParameterValue(
                Types.TIMESTAMP_WITH_TIMEZONE, ProcessorBatch.timestamp(instant));
    }
}
