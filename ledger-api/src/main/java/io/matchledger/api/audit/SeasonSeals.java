package io.matchledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonWindow;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /** A season's window and close: what its seal is computed over. */
    public record Window(String seasonId, Instant start, Instant end, Instant closesAt) {}

    public Computed compute(String seasonId, Instant start, Instant end, Instant closesAt, long through) {
        return compute(List.of(new Window(seasonId, start, end, closesAt)), through)
                .get(seasonId);
    }

    /**
     * Several seasons' seals in one pass over the store: seasons never overlap, so each match is in at most one of
     * them (a verification of every sealed season reads the store once, not once per season).
     */
    public Map<String, Computed> compute(List<Window> windows, long through) {
        Map<String, Season> seasons = new java.util.LinkedHashMap<>();
        windows.forEach(window -> seasons.put(window.seasonId(), new Season(window)));
        Map<String, Season> seasonOfMatch = new java.util.HashMap<>();
        events.read(-1, through, Long.MAX_VALUE, false, event -> {
            String type = event.payloadType();
            if (!type.endsWith(".MatchSettled") && !type.endsWith(".SettlementVoided")) {
                return true;
            }
            Instant recordedAt = Instant.parse(event.timestamp());
            JsonNode payload = payload(event);
            String matchId = payload.path("matchId").asText();
            if (type.endsWith(".MatchSettled")) {
                Instant occurredAt = occurredAt(payload.get("occurredAt"), recordedAt);
                for (Season season : seasons.values()) {
                    if (season.holds(occurredAt, recordedAt) && !seasonOfMatch.containsKey(matchId)) {
                        seasonOfMatch.put(matchId, season);
                        season.add(event, payload.path("players"), 1);
                    }
                }
            } else {
                Season season = seasonOfMatch.get(matchId);
                if (season != null && recordedAt.isBefore(season.window.closesAt())) {
                    season.add(event, payload.path("reversals"), -1);
                }
            }
            return true;
        });
        Map<String, Computed> computed = new java.util.LinkedHashMap<>();
        seasons.forEach((id, season) -> computed.put(id, season.computed()));
        return computed;
    }

    /** One season's running digests and tallies. */
    private static final class Season {
        final Window window;
        final MessageDigest digest = sha256();
        final Map<String, long[]> players = new TreeMap<>();
        final List<Long> tokens = new ArrayList<>();
        long matches;

        Season(Window window) {
            this.window = window;
        }

        boolean holds(Instant occurredAt, Instant recordedAt) {
            return SeasonWindow.counts(window.start(), window.end(), window.closesAt(), occurredAt, recordedAt);
        }

        void add(StoredEvent event, JsonNode shares, int sign) {
            if (sign == 1) {
                matches++;
            }
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
        }

        Computed computed() {
            MessageDigest standings = sha256();
            players.forEach((playerId, t) ->
                    standings.update((playerId + "," + t[0] + "," + t[1] + "," + t[2] + "," + t[3] + "," + t[4] + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
            SeasonSeal seal = new SeasonSeal(
                    window.seasonId(),
                    CANONICAL_FORM,
                    tokens.isEmpty() ? 0 : tokens.get(0),
                    tokens.isEmpty() ? 0 : tokens.get(tokens.size() - 1),
                    tokens.size(),
                    matches,
                    HexFormat.of().formatHex(digest.digest()),
                    players.size(),
                    HexFormat.of().formatHex(standings.digest()));
            return new Computed(seal, List.copyOf(tokens));
        }
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
