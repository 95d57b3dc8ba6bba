package io.matchledger.api.web;

import io.matchledger.api.positions.NotYetVisible;
import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.core.Causes;
import io.matchledger.core.api.LedgerBusy;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerTimeout;
import java.util.Optional;
import org.axonframework.commandhandling.CommandExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error as RFC 9457 problem details: the ledger's refusals and failures here, what Spring MVC finds wrong with a
 * request in {@link InputProblems} (asked first). Validation problems name each field and what is wrong with it; nothing
 * internal (stack traces, SQL, class names) ever reaches the client.
 * <p>
 * Two failures are the service's and pass: {@code 503} with {@code Retry-After}, and the client sends the same request
 * again (same {@code matchId}: it counts once). {@code /problems/contention}: the command lost the race for a player's
 * ledger to other writers more often than its retries allow. {@code /problems/unavailable}: the database is away (a
 * connection cannot be had, or broke mid-transaction); whatever the request was writing was rolled back whole, or
 * committed, and the retry tells which. Reads answer the same while the database is away.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemResponses {

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
            case ERASED -> ProblemType.PLAYER_ERASED.problem(refusal.getMessage());
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
        return InputProblems.validationProblem(invalid.type(), invalid.errors());
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
        if (failure instanceof LedgerTimeout late) {
            return late(late).getBody();
        }
        if (failure instanceof CommandExecutionException commandFailure) {
            return commandFailed(commandFailure).getBody();
        }
        return internal(failure instanceof Exception exception ? exception : new IllegalStateException(failure))
                .getBody();
    }

    /** A write the ledger could not decide in time: its database did not answer. It may or may not be recorded. */
    @ExceptionHandler(LedgerTimeout.class)
    ResponseEntity<ProblemDetail> late(LedgerTimeout late) {
        log.warn("Request not decided in time, the database is slow or silent: {}", late.getMessage());
        return unavailable(
                ProblemType.UNAVAILABLE.problem("The ledger's database did not answer in time. Send the same request "
                        + "again later: a write either counted once or not at all."),
                UNAVAILABLE_RETRY_AFTER_SECONDS);
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

    static <T extends Throwable> Optional<T> causeOfType(Throwable failure, Class<T> type) {
        return Causes.find(failure, type);
    }
}
