package io.matchledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.Map;

/**
 * The contract's two-window scenario as the document's examples: Lubien (104) concedes ten losses to Enemy (72 -> 102),
 * then Enemy's stale window declares a draw; the ledger answers 105 and 103, a retry 200, a conflicting retry 409.
 */
final class ApiExamples {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DRAW = """
            {"matchId":"draw-1","draw":["enemy","lubien"]}""";
    private static final String DRAWN = """
            {"matchId":"draw-1","outcome":"DRAW","players":[
             {"playerId":"enemy","result":"DRAW","points":1,"total":103},
             {"playerId":"lubien","result":"DRAW","points":1,"total":105}],
             "occurredAt":"2026-11-26T10:00:00Z","recordedAt":"2026-11-26T10:00:00.120Z","position":17}""";
    private static final String CONFLICT = """
            {"type":"/problems/conflict","title":"Idempotency key reused with other content","status":409,
             "detail":"match draw-1 was already recorded with other content","instance":"/api/matches"}""";
    private static final String LOSS = """
            {"matchId":"loss-1","winner":"enemy","loser":"lubien"}""";

    /** Per operation id: the request's examples, and each status's. */
    private static final Map<String, Map<String, Map<String, String>>> BY_OPERATION = Map.of(
            "recordMatch",
                    Map.of(
                            "request", Map.of("the stale window's draw", DRAW, "one of the ten losses", LOSS),
                            "201", Map.of("the draw, recorded", DRAWN),
                            "200", Map.of("the draw sent again: counted once", DRAWN),
                            "409", Map.of("draw-1 sent as a win", CONFLICT)),
            "registerPlayer",
                    Map.of(
                            "request", Map.of("Enemy", "{\"name\":\"Enemy\"}"),
                            "201",
                                    Map.of(
                                            "registered",
                                            "{\"playerId\":\"enemy\",\"name\":\"Enemy\","
                                                    + "\"registration\":\"CREATED\",\"position\":2}")),
            "adjustPoints",
                    Map.of(
                            "request",
                            Map.of(
                                    "Enemy's opening balance",
                                    "{\"adjustmentId\":\"open-enemy\",\"points\":72,\"reason\":\"opening balance\"}")),
            "getPlayer",
                    Map.of(
                            "200",
                            Map.of(
                                    "Enemy after the draw",
                                    "{\"playerId\":\"enemy\",\"name\":\"Enemy\",\"points\":103,"
                                            + "\"wins\":10,\"draws\":1,\"losses\":0,\"matches\":11,\"rank\":2}")));

    private ApiExamples() {}

    static void addTo(Operation operation) {
        Map<String, Map<String, String>> examples = BY_OPERATION.get(operation.getOperationId());
        if (examples == null) {
            return;
        }
        examples.forEach((where, named) -> {
            if (where.equals("request")) {
                if (operation.getRequestBody() != null
                        && operation.getRequestBody().getContent() != null) {
                    operation.getRequestBody().getContent().values().forEach(media -> add(media, named));
                }
                return;
            }
            ApiResponse response = operation.getResponses().get(where);
            if (response != null && response.getContent() != null) {
                response.getContent().values().forEach(media -> add(media, named));
            }
        });
    }

    private static void add(MediaType media, Map<String, String> named) {
        named.forEach((summary, json) -> media.addExamples(
                summary.replaceAll("[^A-Za-z0-9]+", "-"),
                new Example().summary(summary).value(parse(json))));
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a broken example: " + json, e);
        }
    }
}
