package io.matchledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.eventtable.StoredEvent;
import io.matchledger.api.eventtable.StoredEvents;
import io.matchledger.core.api.SeasonSeal;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * A season's seal, computed from the event store alone (its rows and their payloads as JSON, as the audit export
 * gives them): no projection, serializer or upcaster. The rule is the one {@code docs/seasons.md} documents and ADR
 * 0013 decides, and the matches projection follows:
 * <ul>
 *   <li>the season's events are each {@code MatchSettled} whose {@code occurredAt} (the recording instant when a
 *       first-version event has none) lies in {@code [start, end)} and whose event the ledger recorded before the
 *       close (end + grace), and each {@code SettlementVoided} of such a match recorded before the close;
 *   <li>{@code eventsSha256} is the SHA-256 of their export lines ({@code export-line/1}), newline included, in
 *       global order;
 *   <li>{@code standingsSha256} is the SHA-256 of one line per player who has a match among them, by player id:
 *       {@code playerId,points,wins,draws,losses,matches\n}, a voided match counting nowhere.
 * </ul>
 */
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
@Component
public class SeasonSeals {

    public static final String CANONICAL_FORM = "export-line/1";
    public static final String RULE = "Every MatchSettled whose occurredAt (its timestamp when it has none) is in "
            + "[start, end) and whose timestamp is before closesAt, and every SettlementVoided of such a match whose "
            + "timestamp is before closesAt, in token order. eventsSha256 = SHA-256 of their export lines, each "
            + "with its newline; standingsSha256 = SHA-256 of standingsLine for each player in those matches, by "
            + "player id, a voided match counting nowhere.";
    public static final String STANDINGS_LINE = "playerId,points,wins,draws,losses,matches\n";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StoredEvents events;

    public SeasonSeals(StoredEvents events) {
        this.events = events;
    }

    /** The seal and the tokens of the events it covers, as far as the store holds them up to {@code through}. */
    public record Computed(SeasonSeal seal, List<Long> tokens) {}

    public Computed compute(String seasonId, Instant start, Instant end, Instant closesAt, long through) {
        MessageDigest digest = sha256();
        Set<String> matches = new HashSet<>();
        Map<String, long[]> players = new TreeMap<>();
        List<Long> tokens = new ArrayList<>();
        events.read(Long.MIN_VALUE, through, Long.MAX_VALUE, event -> {
            String type = event.payloadType();
            if (!type.endsWith(".MatchSettled") && !type.endsWith(".SettlementVoided")) {
                return true;
            }
            Instant recordedAt = Instant.parse(event.timestamp());
            if (!recordedAt.isBefore(closesAt)) {
                return true;
            }
            JsonNode payload = payload(event);
            String matchId = payload.path("matchId").asText();
            int sign;
            if (type.endsWith(".MatchSettled")) {
                Instant occurredAt = occurredAt(payload.get("occurredAt"), recordedAt);
                if (occurredAt.isBefore(start) || !occurredAt.isBefore(end) || !matches.add(matchId)) {
                    return true;
                }
                sign = 1;
            } else {
                if (!matches.contains(matchId)) {
                    return true;
                }
                sign = -1;
            }
            JsonNode shares = payload.path(sign == 1 ? "players" : "reversals");
            for (JsonNode share : shares) {
                long[] tally = players.computeIfAbsent(share.path("playerId").asText(), id -> new long[5]);
                // points, wins, draws, losses, matches; a reversal's points are already negative.
                tally[0] += share.path("points").asLong();
                switch (share.path("result").asText()) {
                    case "WIN" -> tally[1] += sign;
                    case "DRAW" -> tally[2] += sign;
                    default -> tally[3] += sign;
                }
                tally[4] += sign;
            }
            digest.update(EventExport.line(event));
            tokens.add(event.token());
            return true;
        });
        MessageDigest standings = sha256();
        players.forEach((playerId, t) ->
                standings.update((playerId + "," + t[0] + "," + t[1] + "," + t[2] + "," + t[3] + "," + t[4] + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
        SeasonSeal seal = new SeasonSeal(
                seasonId,
                CANONICAL_FORM,
                tokens.isEmpty() ? 0 : tokens.get(0),
                tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1),
                tokens.size(),
                matches.size(),
                HexFormat.of().formatHex(digest.digest()),
                players.size(),
                HexFormat.of().formatHex(standings.digest()));
        return new Computed(seal, List.copyOf(tokens));
    }

    public long head() {
        return events.head();
    }

    private static Instant occurredAt(JsonNode value, Instant recordedAt) {
        if (value == null || value.isNull()) {
            return recordedAt;
        }
        if (value.isNumber()) {
            // Jackson's numeric form of an Instant: seconds, with nanoseconds as the fraction.
            BigDecimal seconds = value.decimalValue();
            return Instant.ofEpochSecond(
                    seconds.longValue(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        }
        return Instant.parse(value.asText());
    }

    private static JsonNode payload(StoredEvent event) {
        try {
            return JSON.readTree(event.payload());
        } catch (IOException e) {
            throw new IllegalStateException("event " + event.token() + " has no JSON payload", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
