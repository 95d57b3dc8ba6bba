package io.matchledger.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** What the lag watchers read: the standings' points of the players in flight, 500 per query. */
final class StandingsReader {

    /** Told each player's points and the time they were read at (nanoTime, once per query). */
    interface Row {
        void points(String playerId, long points, long readAtNanos);
    }

    private StandingsReader() {}

    static void read(Connection connection, Collection<String> playerIds, Row row) throws SQLException {
        List<String> ids = new ArrayList<>(playerIds);
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String marks = chunk.stream().map(id -> "?").collect(Collectors.joining(","));
            try (PreparedStatement query = connection.prepareStatement(
                    "select player_id, points from player_standing where player_id in (" + marks + ")")) {
                for (int p = 0; p < chunk.size(); p++) {
                    query.setString(p + 1, chunk.get(p));
                }
                try (ResultSet rows = query.executeQuery()) {
                    long now = System.nanoTime();
                    while (rows.next()) {
                        row.points(rows.getString(1), rows.getLong(2), now);
                    }
                }
            }
        }
    }
}
