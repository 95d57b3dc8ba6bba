package io.matchledger.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds every answer the HTTP tests get from {@code /api} to the OpenAPI document the same service serves, with
 * Atlassian's swagger-request-validator: an undocumented status, header or body shape fails the test that got it.
 * Requests are not held to it: the tests send wrong requests on purpose, and what the service answers to them is
 * what is checked.
 */
final class ContractCheck {

    private static final Map<String, OpenApiInteractionValidator> BY_SERVICE = new ConcurrentHashMap<>();
    /** For streams (server-sent events, NDJSON), whose body is many JSON values: status and headers only. */
    private static final Map<String, OpenApiInteractionValidator> STREAMS_BY_SERVICE = new ConcurrentHashMap<>();

    private ContractCheck() {}

    static void check(String base, String method, String pathAndQuery, LedgerClient.Reply reply) {
        URI uri = URI.create(base + pathAndQuery);
        if (!uri.getPath().startsWith("/api/")) {
            return;
        }
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method), uri.getPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] nameAndValue = pair.split("=", 2);
                request.withQueryParam(nameAndValue[0], nameAndValue.length > 1 ? nameAndValue[1] : "");
            }
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(reply.status());
        reply.headers().map().forEach((name, values) -> response.withHeader(name, values));
        boolean stream = reply.contentType().startsWith("application/x-ndjson")
                || reply.contentType().startsWith("text/event-stream");
        if (!reply.body().isEmpty() && !stream) {
            response.withBody(reply.body());
        }
        OpenApiInteractionValidator validator = stream
                ? STREAMS_BY_SERVICE.computeIfAbsent(base, service -> validator(service, true))
                : BY_SERVICE.computeIfAbsent(base, service -> validator(service, false));
        ValidationReport report =
                validator.validateResponse(uri.getPath(), Request.Method.valueOf(method), response.build());
        if (report.hasErrors()) {
            throw new AssertionError("the answer to " + method + " " + pathAndQuery + " (" + reply.status() + " "
                    + reply.body() + ") is not what the served OpenAPI document says: "
                    + report.getMessages());
        }
    }

    private static OpenApiInteractionValidator validator(String base, boolean stream) {
        LevelResolver.Builder levels = LevelResolver.create()
                // A path or method outside the document (an unknown route, a DELETE) has no operation to hold the
                // answer to; BadInputTest and AuthorizationMatrixTest check that it is a problem.
                .withLevel("validation.request.path.missing", ValidationReport.Level.IGNORE)
                .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.IGNORE);
        if (stream) {
            levels.withLevel("validation.response.body.missing", ValidationReport.Level.IGNORE);
        }
        return OpenApiInteractionValidator.createForInlineApiSpecification(document(base))
                .withLevelResolver(levels.build())
                .build();
    }

    private static String document(String base) {
        try {
            HttpResponse<String> document = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(base + "/v3/api-docs"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200) {
                throw new IllegalStateException("no OpenAPI document at " + base + ": " + document.statusCode());
            }
            return document.body();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the OpenAPI document of " + base, e);
        }
    }
}
