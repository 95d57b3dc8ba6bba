package io.matchledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.matchledger.api.positions.NotYetVisible;
import io.matchledger.api.problems.FieldProblem;
import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.core.api.LedgerBusy;
import io.matchledger.core.api.LedgerRefusal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.commandhandling.CommandExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 problem details. Validation problems name each field and what is wrong with it; nothing
 * internal (stack traces, SQL, class names) ever reaches the client.
 * <p>
 * Two failures are the service's and pass: {@code 503} with {@code Retry-After}, and the client sends the same request
 * again (same {@code matchId}: it counts once). {@code /problems/contention}: the command lost the race for a player's
 * ledger to other writers more often than its retries allow. {@code /problems/unavailable}: the database is away (a
 * connection cannot be had, or broke mid-transaction); whatever the request was writing was rolled back whole, or
 * committed, and the retry tells which. Reads answer the same while the database is away.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    /** Seconds a client waits before it sends a command again that lost its races. */
    static final int CONTENTION_RETRY_AFTER_SECONDS = 1;
    /** Seconds a client waits before it tries again while the database is away. */
    static final int UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

    @ExceptionHandler(LedgerRefusal.class)
    ProblemDetail refused(LedgerRefusal refusal) {
        return switch (refusal.reason()) {
            case NOT_FOUND -> ProblemType.NOT_FOUND.problem(refusal.getMessage());
            case CONFLICT -> ProblemType.CONFLICT.problem(refusal.getMessage());
            case RULE_BROKEN -> ProblemType.RULE_BROKEN.problem(refusal.getMessage());
        };
    }

    /** Refusals that crossed a command bus arrive wrapped; a lost race or a database away is a 503, not a 500. */
    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> commandFailed(CommandExecutionException failure) {
        Optional<LedgerRefusal> refusal = causeOfType(failure, LedgerRefusal.class);
        if (refusal.isPresent()) {
            ProblemDetail problem = refused(refusal.get());
            return ResponseEntity.status(problem.getStatus()).body(problem);
        }
        return internal(failure);
    }

    @ExceptionHandler(InvalidRequest.class)
    ProblemDetail invalid(InvalidRequest invalid) {
        return validationProblem(invalid.errors());
    }

    /**
     * The problem a single request would have been answered with for this failure: the answers of a batch, item by
     * item, are the answers of single requests.
     */
    public ProblemDetail problemFor(Throwable failure) {
        if (failure instanceof LedgerRefusal refusal) {
            return refused(refusal);
        }
        if (failure instanceof InvalidRequest invalid) {
            return invalid(invalid);
        }
        if (failure instanceof LedgerBusy busy) {
            return busy(busy).getBody();
        }
        if (failure instanceof CommandExecutionException commandFailure) {
            return commandFailed(commandFailure).getBody();
        }
        return internal(failure instanceof Exception exception ? exception : new IllegalStateException(failure))
                .getBody();
    }

    /** More matches are queued than the ledger takes on: nothing of this request was recorded. */
    @ExceptionHandler(LedgerBusy.class)
    ResponseEntity<ProblemDetail> busy(LedgerBusy busy) {
        log.warn("Request refused, the ledger is busy: {}", busy.getMessage());
        return unavailable(
                ProblemType.BUSY.problem(
                        "The ledger has more matches queued than it takes on; nothing of this request was "
                                + "recorded. Send the same request again."),
                CONTENTION_RETRY_AFTER_SECONDS);
    }

    /** A read with {@code minPosition} that its read model did not reach in time: the answer would be stale. */
    @ExceptionHandler(NotYetVisible.class)
    ResponseEntity<ProblemDetail> notYetVisible(NotYetVisible late) {
        return unavailable(ProblemType.NOT_YET_VISIBLE.problem(late.getMessage()), CONTENTION_RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> internal(Exception failure) {
        return switch (TransientFailures.classify(failure)) {
            case CONTENTION -> {
                log.warn("Request lost its races for a ledger after every retry: {}", failure.toString());
                yield unavailable(
                        ProblemType.CONTENTION.problem(
                                "Other writers of the same players were faster on every attempt; nothing "
                                        + "was recorded. Send the same request again."),
                        CONTENTION_RETRY_AFTER_SECONDS);
            }
            case UNAVAILABLE -> {
                log.warn("Request failed, the database is unavailable: {}", TransientFailures.describe(failure));
                yield unavailable(
                        ProblemType.UNAVAILABLE.problem(
                                "The ledger's database cannot be reached. Send the same request again "
                                        + "later: a write either counted once or not at all."),
                        UNAVAILABLE_RETRY_AFTER_SECONDS);
            }
            case OTHER -> {
                log.error("Request failed", failure);
                yield ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                        .body(ProblemType.INTERNAL.problem("The request could not be completed; it has been logged."));
            }
        };
    }

    private static ResponseEntity<ProblemDetail> unavailable(ProblemDetail problem, int retryAfterSeconds) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds))
                .body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getAllErrors().stream()
                .map(error -> new FieldProblem(
                        error instanceof FieldError field ? field.getField() : error.getObjectName(),
                        error.getDefaultMessage()))
                .toList();
        return ResponseEntity.badRequest().body(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // A body validated together with path variables arrives as ParameterErrors: name its fields, not "request".
        List<FieldProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body
                        ? body.getFieldErrors().stream()
                                .map(error -> new FieldProblem(error.getField(), message(error)))
                        : result.getResolvableErrors().stream()
                                .map(error -> new FieldProblem(
                                        result.getMethodParameter().getParameterName(), message(error))))
                .toList();
        return ResponseEntity.badRequest().body(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name =
                ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : ex.getPropertyName();
        String expected = ex.getRequiredType() == null
                ? "of another type"
                : Number.class.isAssignableFrom(
                                org.springframework.util.ClassUtils.resolvePrimitiveIfNecessary(ex.getRequiredType()))
                        ? "a whole number"
                        : "a " + ex.getRequiredType().getSimpleName();
        return ResponseEntity.badRequest()
                .body(validationProblem(List.of(new FieldProblem(name, "must be " + expected))));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return ResponseEntity.badRequest()
                .body(validationProblem(List.of(new FieldProblem(ex.getParameterName(), "is required"))));
    }

    /** What Spring answers by itself (an unknown path, a wrong method) gets a catalogued type, not about:blank. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null
                        || "about:blank".equals(problem.getType().toString()))) {
            ProblemType type = ProblemType.generic(statusCode.value());
            problem.setType(type.type());
            problem.setTitle(type.title());
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // The most specific cause may be below Jackson (a DateTimeParseException); the Jackson one knows the field.
        Throwable cause = causeOfType(ex, JsonProcessingException.class)
                .map(Throwable.class::cast)
                .orElse(ex.getMostSpecificCause());
        ProblemDetail problem;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            problem = validationProblem(List.of(new FieldProblem(path(unknown), "unknown field")));
        } else if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            JsonMappingException mapping = (JsonMappingException) cause;
            String field = path(mapping);
            problem = validationProblem(
                    List.of(new FieldProblem(field.isEmpty() ? "body" : field, "has the wrong type or shape")));
        } else if (cause instanceof JsonProcessingException json) {
            problem = ProblemType.MALFORMED_JSON.problem("The body is not valid JSON: " + json.getOriginalMessage());
        } else {
            problem = ProblemType.MALFORMED_JSON.problem("The body is missing or is not valid JSON.");
        }
        return ResponseEntity.badRequest().body(problem);
    }

    private static ProblemDetail validationProblem(List<FieldProblem> errors) {
        ProblemDetail problem = ProblemType.VALIDATION.problem(
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        problem.setProperty("errors", errors);
        return problem;
    }

    private static String path(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    private static <T extends Throwable> Optional<T> causeOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }
}
