package io.matchledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.audit.AuditReport.Mismatch;
import io.matchledger.projections.ReadModelGate;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.lifecycle.Projections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recomputes every player's total from the event store and compares it with the standings read model.
 * <p>
 * <b>Independent of the projection.</b> It reads the stored rows with JDBC and the payloads as plain JSON: no Axon
 * serializer, upcaster or event handler. A player's ledger is the stream of aggregate type {@code Player}; an event on
 * it counts when its payload carries {@code playerId} and {@code points} ({@code MatchRecorded},
 * {@code PointsAdjusted}, {@code MatchVoided}, and whatever ledger event comes next); other events are only counted
 * as read.
 * <p>
 * <b>Consistent under load, without waiting.</b> The read model moves while it is checked, so each player is compared
 * at the point the read model itself says it has reached for them: a standing row holds the sequence number of the
 * last event applied to it, in the same update as its points, so its points must be the sum of the player's events up
 * to that sequence number; those events were committed before the row was, so the scan that follows sees all of them.
 * Waiting for the processor to pass a head read first would not do: a write still in flight below that head commits
 * later and moves a total the sum did not include. A player the read model lacks is a mismatch only when the
 * standings processor had committed one of their events before the model was read (its stored token, which commits
 * with the rows); one registered since is simply not checked yet. A rebuild that resets the model between those two
 * reads would make the token look ahead of the rows, so the picture is retaken when the committed position went back.
 * <p>
 * Each event's {@code totalAfter} is checked against the running sum of the ledger in sequence order, which is not
 * always global order when several processes write.
 */
@Component
public class LedgerVerification {

    static final int LISTED = 1_000;
    /** Axon names a stream's aggregate type after the aggregate's class. */
    private static final String LEDGER = "Player";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StoredEvents events;
    private final Projections projections;
    private final JdbcTemplate jdbc;
    private final ReadModelGate gate;
    private final SealVerification seals;

    public LedgerVerification(
            StoredEvents events,
            Projections projections,
            JdbcTemplate jdbc,
            ReadModelGate gate,
            SealVerification seals) {
        this.events = events;
        this.projections = projections;
        this.jdbc = jdbc;
        this.gate = gate;
        this.seals = seals;
    }

    public AuditReport verify() {
        Picture picture = picture(projections.processorOf(StandingsProjection.NAME));
        long through = events.head();
        Map<String, ScannedLedger> ledgers = new HashMap<>();
        ScannedLedger.Findings findings = new ScannedLedger.Findings();
        long read = events.read(-1, through, Long.MAX_VALUE, false, event -> {
            if (LEDGER.equals(event.aggregateType())) {
                ledgers.computeIfAbsent(
                                event.aggregateId(),
                                id -> new ScannedLedger(id, picture.standings().get(id)))
                        .add(entry(event), picture.committed().test(event.token()), findings);
            }
            return true;
        });

        long checked = 0;
        for (Map.Entry<String, ScannedLedger.Standing> row : picture.standings().entrySet()) {
            checked++;
            ScannedLedger ledger = ledgers.get(row.getKey());
            long projected = row.getValue().points();
            if (ledger == null) {
                findings.mismatches.add(new Mismatch(row.getKey(), projected, null));
            } else if (ledger.fromEvents != projected) {
                findings.mismatches.add(new Mismatch(row.getKey(), projected, ledger.fromEvents));
            }
        }
        for (ScannedLedger ledger : ledgers.values()) {
            if (ledger.appliedThrough < 0 && ledger.committed) {
                checked++;
                findings.mismatches.add(new Mismatch(ledger.playerId, null, ledger.fromEvents));
            }
        }
        findings.mismatches.sort(Comparator.comparing(Mismatch::playerId));
        return new AuditReport(
                checked,
                read,
                through,
                listed(findings.mismatches),
                findings.mismatches.size(),
                listed(findings.breaks),
                findings.breakCount,
                seals.check());
    }

    /** The standings and the position the processor had committed before they were read. */
    private Picture picture(String processor) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = projections.committedPosition(processor);
            LongPredicate committed = projections.committedEvents(processor);
            Map<String, ScannedLedger.Standing> standings = standings();
            if (projections.committedPosition(processor) >= before) {
                return new Picture(standings, committed);
            }
        }
        // Reset three times in a row: check the rows against their own sequence numbers only.
        return new Picture(standings(), index -> false);
    }

    /** Read past the gate, as the query handlers are: a rebuild's swap renames this table (ReadModelGate). */
    private Map<String, ScannedLedger.Standing> standings() {
        Map<String, ScannedLedger.Standing> standings = new HashMap<>();
        gate.read(() -> {
            jdbc.query("select player_id, points, last_sequence from player_standing", row -> {
                standings.put(row.getString(1), new ScannedLedger.Standing(row.getLong(2), row.getLong(3)));
            });
            return null;
        });
        return standings;
    }

    private static ScannedLedger.Entry entry(StoredEvent event) {
        JsonNode payload;
        try {
            payload = JSON.readTree(event.payload());
        } catch (IOException unreadable) {
            throw new UncheckedIOException("event " + event.token() + " has no readable JSON payload", unreadable);
        }
        JsonNode points = payload.get("points");
        JsonNode playerId = payload.get("playerId");
        JsonNode totalAfter = payload.get("totalAfter");
        boolean counts = points != null && points.isIntegralNumber() && playerId != null && playerId.isTextual();
        return new ScannedLedger.Entry(
                event.sequence(),
                event.token(),
                counts ? points.longValue() : null,
                counts && totalAfter != null && totalAfter.isIntegralNumber() ? totalAfter.longValue() : null);
    }

    private static <T> List<T> listed(List<T> all) {
        return List.copyOf(all.subList(0, Math.min(all.size(), LISTED)));
    }

    private record Picture(Map<String, ScannedLedger.Standing> standings, LongPredicate committed) {}
}
