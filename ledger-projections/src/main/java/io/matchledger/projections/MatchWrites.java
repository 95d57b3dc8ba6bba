package io.matchledger.projections;

import io.matchledger.core.api.MatchSettled;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the matches projection writes for one processor batch ({@link ProcessorBatch}): the settled matches in one JDBC
 * batch (the rows of {@link MatchRecord}), then the voids in another. The redelivery rule is in the insert itself: a match id that is there already
 * keeps its row as it is (settled once per id, so a known id is a redelivery, and the row may have been voided since).
 */
final class MatchWrites implements ProcessorBatch.Writes {

    static final String MATCHES = "match_record";

    private final JdbcTemplate jdbc;
    private final String matches;
    private final List<MatchRecord> settled = new ArrayList<>();
    private final List<String> voided = new ArrayList<>();

    private MatchWrites(JdbcTemplate jdbc, TableSet tables) {
        this.jdbc = jdbc;
        this.matches = tables.of(MATCHES);
    }

    static void inBatch(JdbcTemplate jdbc, TableSet tables, Consumer<MatchWrites> work) {
        ProcessorBatch.with(MatchWrites.class.getName() + tables.suffix(), () -> new MatchWrites(jdbc, tables), work);
    }

    void settle(MatchSettled event, Instant recordedAt) {
        settled.add(new MatchRecord(event, recordedAt));
    }

    void voidMatch(String matchId) {
        voided.add(matchId);
    }

    @Override
    public void write() {
        if (!settled.isEmpty()) {
            jdbc.batchUpdate(
                    "insert into " + matches + " (match_id, outcome, first_player_id, first_result, "
                            + "first_points, second_player_id, second_result, second_points, occurred_at, "
                            + "recorded_at, voided, version) "
                            + "select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, 0 where not exists "
                            + "(select 1 from " + matches + " where match_id = ?)",
                    settled,
                    settled.size(),
                    (sql, match) -> {
                        sql.setString(1, match.getMatchId());
                        sql.setString(2, match.getOutcome().name());
                        sql.setString(3, match.getFirstPlayerId());
                        sql.setString(4, match.getFirstResult().name());
                        sql.setInt(5, match.getFirstPoints());
                        sql.setString(6, match.getSecondPlayerId());
                        sql.setString(7, match.getSecondResult().name());
                        sql.setInt(8, match.getSecondPoints());
                        sql.setObject(
                                9, ProcessorBatch.timestamp(match.getOccurredAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                        sql.setObject(
                                10, ProcessorBatch.timestamp(match.getRecordedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                        sql.setString(11, match.getMatchId());
                    });
        }
        if (!voided.isEmpty()) {
            // Setting the flag again on a redelivery is harmless; a match that is not there means lost data.
            int[][] marked = jdbc.batchUpdate(
                    "update " + matches + " set voided = true, version = version + 1 where match_id = ?",
                    voided,
                    voided.size(),
                    (sql, matchId) -> sql.setString(1, matchId));
            ProcessorBatch.requireEachChangedARow(marked, voided, matchId -> "no match " + matchId + " to void");
        }
    }
}
