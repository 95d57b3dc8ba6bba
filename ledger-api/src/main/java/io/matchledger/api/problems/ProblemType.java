package io.matchledger.api.problems;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Every kind of problem the API answers, as RFC 9457 problem details: its {@code type} URI, title and status. The
 * OpenAPI document lists them from here (each operation's answers and the {@code type} enum of the {@code Problem}
 * schema), so a type that is answered but not catalogued fails the contract test.
 */
public enum ProblemType {
    VALIDATION(
            400,
            "validation",
            "Invalid request",
            "A field or parameter is invalid; errors[] names each one and says why. Nothing changed."),
    MALFORMED_JSON(400, "malformed-json", "Malformed JSON", "The body is missing or is not JSON. Nothing changed."),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized", "No credentials, or wrong ones (HTTP Basic)."),
    FORBIDDEN(403, "forbidden", "Forbidden", "The account lacks the role the operation needs."),
    CSRF(403, "csrf", "Forbidden", "A browser session's write without the page's CSRF token."),
    NOT_FOUND(404, "not-found", "Not found", "An unknown player, match or projection (or not in the read model yet)."),
    CONFLICT(
            409,
            "conflict",
            "Idempotency key reused with other content",
            "The id (matchId, adjustmentId) was used before for something else; the first one stands."),
    PLAYER_ERASED(
            409,
            "player-erased",
            "Player erased",
            "The player's personal data was erased (ADR 0019): the id is retired, it cannot be registered again, renamed "
                    + "or play a new match. Their history stands. Nothing changed; do not retry."),
    REBUILD_REFUSED(
            409,
            "rebuild-refused",
            "Rebuild refused",
            "The projection is rebuilding already, or is held by another process."),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed", "The path does not take this method."),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable", "The path cannot answer in the media type asked for."),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large", "The body is over the limit; nothing was read."),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type", "Send the body as JSON."),
    RULE_BROKEN(
            422,
            "rule-broken",
            "Refused by a ledger rule",
            "A ledger rule refuses it (a total would go below zero, a player plays themselves...). Nothing changed."),
    CONTENTION(
            503,
            "contention",
            "Too much contention",
            "Other writers of the same players won every attempt; nothing was recorded. Send the same request again."),
    UNAVAILABLE(
            503,
            "unavailable",
            "Database unavailable",
            "The database cannot be reached, or did not answer in time; a write counted once or not at all. Send the "
                    + "same request again."),
    BUSY(
            503,
            "busy",
            "Too much work queued",
            "More matches are queued than the ledger takes on; nothing was recorded. Send the same request again."),
    NOT_YET_VISIBLE(
            503,
            "not-yet-visible",
            "Not yet visible",
            "The read model did not reach minPosition within the wait; ask again."),
    WEBHOOKS_UNAVAILABLE(
            501,
            "webhooks-unavailable",
            "Webhooks not configured",
            "This ledger shares its store between processes and has no ledger.webhooks.secret-key to encrypt the "
                    + "signing secrets with; no subscription can be made until it has one."),
    /** Never documented on an operation: an unforeseen failure, logged; the answer says nothing internal. */
    INTERNAL(500, "internal", "Internal error", "The request could not be completed; it has been logged.");

    private final int status;
    private final String slug;
    private final String title;
    private final String meaning;

    ProblemType(int status, String slug, String title, String meaning) {
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.meaning = meaning;
    }

    /** The type of a problem Spring answers by itself (an unknown path, a wrong method...), by its status. */
    public static ProblemType generic(int status) {
        return switch (status) {
            case 400 -> VALIDATION;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            default -> INTERNAL;
        };
    }

    /**
     * This problem, as the body of an answer, with the id of the trace of the request it answers ({@code traceId}), by
     * which an operator finds the request's log lines and spans.
     */
    public ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        problem.setType(type());
        problem.setTitle(title);
        SpanContext trace = Span.current().getSpanContext();
        if (trace.isValid()) {
            problem.setProperty(TRACE_ID, trace.getTraceId());
        }
        return problem;
    }

    /**
     * The request attribute under which the type of the problem a request was answered with is left for the HTTP
     * server metrics ({@code http_server_requests} gets a {@code problem} tag: 503s by problem type).
     */
    public static final String ANSWERED = ProblemType.class.getName() + ".answered";

    /** The property of every problem that names the trace of its request. */
    public static final String TRACE_ID = "traceId";

    public int status() {
        return status;
    }

    public URI type() {
        return URI.create("/problems/" + slug);
    }

    public String title() {
        return title;
    }

    public String meaning() {
        return meaning;
    }
}
