package io.matchledger.projections;

import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.SeasonWindow;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the matches projection writes for one processor batch ({@link ProcessorBatch}): the settled matches in one JDBC
 * batch (the rows of {@link MatchRecord}), then the voids in another, then the season standings they move ({@link
 * SeasonTables} says which season a match counts in). The redelivery rule is in the insert itself: a match id that is
 * there already keeps its row as it is (settled once per id, so a known id is a redelivery, and the row may have been
 * voided since); a void of a voided match changes nothing.
 */
final class MatchWrites implements ProcessorBatch.Writes {

    static final String MATCHES = "match_record";

    private record Void(String matchId, Instant voidedAt) {}

    private final JdbcTemplate jdbc;
    private final TableSet tables;
    private final String matches;
    private final List<MatchRecord> settled = new ArrayList<>();
    private final List<Void> voided = new ArrayList<>();

    private MatchWrites(JdbcTemplate jdbc, TableSet tables) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.matches = tables.of(MATCHES);
    }

    static void inBatch(JdbcTemplate jdbc, TableSet tables, Consumer<MatchWrites> work) {
        ProcessorBatch.with(MatchWrites.class.getName() + tables.suffix(), () -> new MatchWrites(jdbc, tables), work);
    }

    void settle(MatchSettled event, Instant recordedAt) {
        settled.add(new MatchRecord(event, recordedAt));
    }

    void voidMatch(String matchId, Instant voidedAt) {
        voided.add(new Void(matchId, voidedAt));
    }

    @Override
    public void write() {
        if (settled.isEmpty() && voided.isEmpty()) {
            return;
        }
        List<SeasonWindow> calendar = new SeasonTables(jdbc, tables).calendar();
        SeasonStandings standings = new SeasonStandings(jdbc, tables);
        if (!settled.isEmpty()) {
            writeSettled(calendar, standings);
        }
        if (!voided.isEmpty()) {
            writeVoids(calendar, standings);
        }
        standings.write();
    }

    private void writeSettled(List<SeasonWindow> calendar, SeasonStandings standings) {
        List<Optional<SeasonWindow>> seasons = settled.stream()
                .map(match -> SeasonTables.seasonOf(calendar, match.getOccurredAt()))
                .toList();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < settled.size(); i++) {
            rows.add(i);
        }
        int[][] inserted = jdbc.batchUpdate(
                "insert into " + matches + " (match_id, outcome, first_player_id, first_result, "
                        + "first_points, second_player_id, second_result, second_points, occurred_at, "
                        + "recorded_at, voided, version, season_id, season_late) "
                        + "select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, 0, ?, ? where not exists "
                        + "(select 1 from " + matches + " where match_id = ?)",
                rows,
                rows.size(),
                (sql, i) -> {
                    MatchRecord match = settled.get(i);
                    Optional<SeasonWindow> season = seasons.get(i);
                    sql.setString(1, match.getMatchId());
                    sql.setString(2, match.getOutcome().name());
                    sql.setString(3, match.getFirstPlayerId());
                    sql.setString(4, match.getFirstResult().name());
                    sql.setInt(5, match.getFirstPoints());
                    sql.setString(6, match.getSecondPlayerId());
                    sql.setString(7, match.getSecondResult().name());
                    sql.setInt(8, match.getSecondPoints());
                    sql.setObject(9, ProcessorBatch.timestamp(match.getOccurredAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                    sql.setObject(10, ProcessorBatch.timestamp(match.getRecordedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                    sql.setString(11, season.map(SeasonWindow::seasonId).orElse(null));
                    sql.setBoolean(
                            12,
                            season.map(s -> SeasonTables.Placement.of(s, match.getRecordedAt(), null)
                                            .late())
                                    .orElse(false));
                    sql.setString(13, match.getMatchId());
                });
        for (int i = 0; i < settled.size(); i++) {
            Optional<SeasonWindow> season = seasons.get(i);
            MatchRecord match = settled.get(i);
            if (inserted[0][i] == 1
                    && season.isPresent()
                    && !SeasonTables.Placement.of(season.get(), match.getRecordedAt(), null)
                            .late()) {
                placed(match).count(standings, season.get().seasonId(), 1);
            }
        }
    }

    private void writeVoids(List<SeasonWindow> calendar, SeasonStandings standings) {
        Map<String, SeasonWindow> seasonsById = new HashMap<>();
        calendar.forEach(season -> seasonsById.put(season.seasonId(), season));
        Map<String, VoidTarget> targets =
                targets(voided.stream().map(Void::matchId).distinct().toList());
        Set<String> voidedNow = new HashSet<>();
        List<Object[]> marks = new ArrayList<>();
        for (Void v : voided) {
            VoidTarget target = targets.get(v.matchId());
            if (target == null) {
                // Settled earlier on the same stream: a match that is not there means lost data.
                throw new IllegalStateException("no match " + v.matchId() + " to void");
            }
            if (target.voided() || !voidedNow.add(v.matchId())) {
                continue; // a redelivery
            }
            SeasonWindow season = target.seasonId() == null ? null : seasonsById.get(target.seasonId());
            boolean voidLate = season != null
                    && SeasonTables.Placement.of(season, target.match().recordedAt(), v.voidedAt())
                            .voidLate();
            marks.add(new Object[] {SeasonTables.ts(v.voidedAt()), voidLate, v.matchId()});
            if (season != null && !target.seasonLate() && !voidLate) {
                new SeasonTables.PlacedMatch(
                                target.match().matchId(),
                                target.match().firstPlayerId(),
                                target.match().firstResult(),
                                target.match().firstPoints(),
                                target.match().secondPlayerId(),
                                target.match().secondResult(),
                                target.match().secondPoints(),
                                target.match().recordedAt(),
                                true,
                                v.voidedAt())
                        .reverse(standings, season.seasonId());
            }
        }
        if (!marks.isEmpty()) {
            jdbc.batchUpdate(
                    "update " + matches + " set voided = true, voided_at = ?, void_late = ?, version = version + 1 "
                            + "where match_id = ?",
                    marks);
        }
    }

    private record VoidTarget(SeasonTables.PlacedMatch match, boolean voided, String seasonId, boolean seasonLate) {}

    private Map<String, VoidTarget> targets(List<String> matchIds) {
        Map<String, VoidTarget> targets = new HashMap<>();
        for (List<String> chunk : ProcessorBatch.chunks(matchIds, ProcessorBatch.IN_LIST)) {
            jdbc.query(
                    "select match_id, first_player_id, first_result, first_points, second_player_id, second_result, "
                            + "second_points, recorded_at, voided, season_id, season_late from " + matches
                            + " where match_id in (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                            + ")",
                    row -> {
                        SeasonTables.PlacedMatch match = new SeasonTables.PlacedMatch(
                                row.getString(1),
                                row.getString(2),
                                MatchResult.valueOf(row.getString(3)),
                                row.getInt(4),
                                row.getString(5),
                                MatchResult.valueOf(row.getString(6)),
                                row.getInt(7),
                                SeasonTables.instant(row, 8),
                                row.getBoolean(9),
                                null);
                        targets.put(
                                match.matchId(),
                                new VoidTarget(match, row.getBoolean(9), row.getString(10), row.getBoolean(11)));
                    },
                    chunk.toArray());
        }
        return targets;
    }

    private static SeasonTables.PlacedMatch placed(MatchRecord match) {
        return new SeasonTables.PlacedMatch(
                match.getMatchId(),
                match.getFirstPlayerId(),
                match.getFirstResult(),
                match.getFirstPoints(),
                match.getSecondPlayerId(),
                match.getSecondResult(),
                match.getSecondPoints(),
                match.getRecordedAt(),
                false,
                null);
    }
}
