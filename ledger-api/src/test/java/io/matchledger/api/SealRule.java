package io.matchledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** How an auditor recomputes a season's seal from the audit export alone (docs/seasons.md), for the tests. */
public final class SealRule {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SealRule() {}

    /** The rule of docs/seasons.md, applied to the export's lines with nothing of the service's code. */
    public static List<String> recompute(String export, Instant start, Instant end, Instant closesAt) throws Exception {
        MessageDigest events = MessageDigest.getInstance("SHA-256");
        Set<String> matches = new HashSet<>();
        Map<String, long[]> players = new TreeMap<>();
        for (String line : export.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            String type = event.get("type").asText();
            Instant recorded = Instant.parse(event.get("timestamp").asText());
            JsonNode payload = event.get("payload");
            if (!recorded.isBefore(closesAt)) {
                continue;
            }
            int sign;
            if (type.equals("MatchSettled")) {
                Instant played = Instant.parse(payload.get("occurredAt").asText());
                if (played.isBefore(start) || !played.isBefore(end)) {
                    continue;
                }
                matches.add(payload.get("matchId").asText());
                sign = 1;
            } else if (type.equals("SettlementVoided")
                    && matches.contains(payload.get("matchId").asText())) {
                sign = -1;
            } else {
                continue;
            }
            for (JsonNode share : payload.get(sign == 1 ? "players" : "reversals")) {
                long[] t = players.computeIfAbsent(share.get("playerId").asText(), id -> new long[5]);
                t[0] += share.get("points").asLong();
                String result = share.get("result").asText();
                t[result.equals("WIN") ? 1 : result.equals("DRAW") ? 2 : 3] += sign;
                t[4] += sign;
            }
            events.update((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        MessageDigest standings = MessageDigest.getInstance("SHA-256");
        players.forEach(
                (id, t) -> standings.update((id + "," + t[0] + "," + t[1] + "," + t[2] + "," + t[3] + "," + t[4] + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
        return List.of(HexFormat.of().formatHex(events.digest()), HexFormat.of().formatHex(standings.digest()));
    }
}
