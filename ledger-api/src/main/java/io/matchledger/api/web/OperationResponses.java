package io.matchledger.api.web;

import io.matchledger.api.positions.PositionHeader;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.RequestIdentity;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The responses of an API operation, built from its {@link Answers} and the {@link ProblemType} catalogue: the
 * success statuses with their headers, and one response per problem status with the problem schema.
 */
final class OperationResponses {

    private static final String PROBLEM_REF = "#/components/schemas/" + ApiDocument.PROBLEM;
    /** Bodies that are streams of JSON, not one JSON value: springdoc would describe the Java type that writes them. */
    private static final Map<String, String> STREAMS = Map.of(
            "text/event-stream",
            "Server-sent events: each `data:` line is one JSON view, as the matching GET answers "
                    + "it; comments are heartbeats.",
            "application/x-ndjson",
            "One JSON object per line, in global order (see the operation's description).");

    private OperationResponses() {}

    /** The answers of an operation: its successes as its {@link Answers} name them, then every problem it can meet. */
    static ApiResponses of(Operation operation, Answers answers, boolean readModel) {
        ApiResponse derived = operation.getResponses() == null
                ? null
                : operation.getResponses().get("200");
        Content content = derived == null ? null : derived.getContent();
        ApiResponses responses = new ApiResponses();
        for (int status : answers.success()) {
            ApiResponse success =
                    new ApiResponse().content(copy(content)).description(successDescription(status, answers));
            success.addHeaderObject(RequestIdentity.HEADER, requestIdHeader());
            if (answers.write()) {
                success.addHeaderObject(
                        PositionHeader.HEADER,
                        new Header()
                                .description("The position the write's events reached in the ledger: pass it as "
                                        + "minPosition to read your own write.")
                                .schema(new IntegerSchema().format("int64")));
            }
            if (status == 201 && answers.location()) {
                success.addHeaderObject(
                        "Location",
                        new Header()
                                .description("Where the recorded resource is read")
                                .schema(new StringSchema()));
            }
            responses.addApiResponse(Integer.toString(status), success);
        }
        Set<ProblemType> problems = new LinkedHashSet<>();
        boolean hasInput = operation.getRequestBody() != null
                || (operation.getParameters() != null
                        && operation.getParameters().stream()
                                .anyMatch(parameter -> !RequestIdentity.HEADER.equals(parameter.getName())));
        if (hasInput) {
            problems.add(ProblemType.VALIDATION);
        }
        if (operation.getRequestBody() != null) {
            problems.add(ProblemType.MALFORMED_JSON);
        }
        problems.add(ProblemType.UNAUTHORIZED);
        problems.add(ProblemType.FORBIDDEN);
        problems.addAll(List.of(answers.problems()));
        if (operation.getRequestBody() != null) {
            problems.add(ProblemType.PAYLOAD_TOO_LARGE);
        }
        if (answers.write()) {
            problems.add(ProblemType.CONTENTION);
            problems.add(ProblemType.BUSY);
        }
        if (readModel) {
            problems.add(ProblemType.NOT_YET_VISIBLE);
        }
        problems.add(ProblemType.UNAVAILABLE);
        Map<Integer, List<ProblemType>> byStatus =
                new TreeMap<>(problems.stream().collect(Collectors.groupingBy(ProblemType::status)));
        byStatus.forEach((status, types) -> responses.addApiResponse(Integer.toString(status), problem(types)));
        return responses;
    }

    /** Each status its own media types, so that its examples are its own. */
    private static Content copy(Content content) {
        if (content == null) {
            return null;
        }
        Content copy = new Content();
        content.forEach((type, media) -> copy.addMediaType(
                type,
                new MediaType()
                        .schema(
                                STREAMS.containsKey(type)
                                        ? new StringSchema().description(STREAMS.get(type))
                                        : media.getSchema())));
        return copy;
    }

    private static String successDescription(int status, Answers answers) {
        if (status == 201) {
            return "Recorded.";
        }
        if (status == 202) {
            return "Accepted: it goes on in the background.";
        }
        if (answers.write() && answers.success().length > 1) {
            return "An identical retry (same id, same content): the first answer again; nothing changed.";
        }
        return "OK.";
    }

    private static ApiResponse problem(List<ProblemType> types) {
        ApiResponse response = new ApiResponse()
                .description(types.stream()
                        .map(type -> type.type() + ": " + type.meaning())
                        .collect(Collectors.joining(" ")))
                .content(new Content()
                        .addMediaType(
                                ApiDocument.PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
        response.addHeaderObject(RequestIdentity.HEADER, requestIdHeader());
        if (types.get(0).status() == 503) {
            response.addHeaderObject(
                    "Retry-After",
                    new Header()
                            .description("Seconds to wait before sending the same request again")
                            .schema(new IntegerSchema()));
        }
        return response;
    }

    private static Header requestIdHeader() {
        return new Header()
                .description("The request's id: yours when you sent a valid one, else a new one")
                .schema(new StringSchema());
    }
}
