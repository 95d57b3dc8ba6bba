package io.matchledger.api.audit;

import io.matchledger.core.api.SeasonSeal;
import io.matchledger.projections.ReadModelGate;
import io.matchledger.projections.api.ListSeasonsQuery;
import io.matchledger.projections.api.SeasonList;
import io.matchledger.projections.api.SeasonView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recomputes every sealed season from the event store ({@link SeasonSeals}) and compares it with its seal, and the
 * read model's season standings with the sealed ones: a seal that no longer follows from the events, or a projection
 * that drifted from them, shows here.
 */
@Component
public class SealVerification {

    private final SeasonSeals seals;
    private final QueryGateway queries;
    private final JdbcTemplate jdbc;
    private final ReadModelGate gate;

    public SealVerification(SeasonSeals seals, QueryGateway queries, JdbcTemplate jdbc, ReadModelGate gate) {
        this.seals = seals;
        this.queries = queries;
        this.jdbc = jdbc;
        this.gate = gate;
    }

    List<AuditReport.SealCheck> check() {
        long head = seals.head();
        List<SeasonView> sealed = queries.query(new ListSeasonsQuery(), SeasonList.class).join().items().stream()
                .filter(season -> season.seal() != null)
                .toList();
        Map<String, SeasonSeals.Computed> now = seals.compute(
                sealed.stream()
                        .map(s -> new SeasonSeals.Window(s.seasonId(), s.start(), s.end(), s.closesAt()))
                        .toList(),
                head);
        List<AuditReport.SealCheck> checks = new ArrayList<>();
        for (SeasonView season : sealed) {
            SeasonSeal seal = season.seal();
            SeasonSeal recomputed = now.get(season.seasonId()).seal();
            checks.add(new AuditReport.SealCheck(
                    season.seasonId(),
                    recomputed.eventsSha256().equals(seal.eventsSha256()),
                    recomputed.standingsSha256().equals(seal.standingsSha256()),
                    readModelStandings(season.seasonId()).equals(seal.standingsSha256()),
                    seal.eventsSha256(),
                    recomputed.eventsSha256()));
        }
        return checks;
    }

    /** The read model's standings of a season in the seal's form ({@link SeasonSeals#STANDINGS_LINE}). */
    private String readModelStandings(String seasonId) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // By player id as Java orders strings, not as the database's collation would.
        java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
        gate.read(() -> {
            jdbc.query(
                    "select player_id, points, wins, draws, losses, matches from season_standing where season_id = ?",
                    row -> {
                        lines.put(
                                row.getString(1),
                                row.getString(1) + "," + row.getLong(2) + "," + row.getLong(3) + "," + row.getLong(4)
                                        + "," + row.getLong(5) + "," + row.getLong(6) + "\n");
                    },
                    seasonId);
            return null;
        });
        lines.values().forEach(line -> digest.update(line.getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }
}
