package io.matchledger.core;

import io.matchledger.core.api.RecordMatchesCommand;
import java.net.SocketTimeoutException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.AxonNonTransientException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the command gateway retries a command that failed, with two budgets.
 * <ul>
 *     <li><b>A lost race</b> ({@link ConcurrencyException} anywhere in the cause chain): another writer appended to one
 *     of the command's streams first. Across processes the store's unique (aggregate id, sequence) key is the only
 *     lock, so on a hot player this is routine, not an error: retried up to {@code conflictRetries} times after
 *     <em>full jitter</em>, a random wait between 0 and {@code min(cap, base * 2^(n-1))} for the n-th conflict, so
 *     that the losers of one race do not meet again at the next.</li>
 *     <li><b>Anything else that is not explicitly non-transient</b>, a database that is away above all: retried only
 *     {@code otherRetries} times (a dropped pooled connection is replaced by then) after a short jittered wait. While
 *     the database is down every attempt already waits for the pool's connection timeout, so more retries would only
 *     hold the caller, who is told to come back later instead.</li>
 *     <li><b>A failure that already waited for the database</b> and gave up ({@link #waitedInVain}: a socket, statement
 *     or lock timeout, or no connection within the pool's timeout) is not retried at all: the database did not answer
 *     in time, the next attempt would wait as long again, and the caller would get its 503 twice as late.</li>
 * </ul>
 * Refusals ({@link AxonNonTransientException}, such as the ledger's {@code LedgerRefusal}) are never retried. Every
 * ledger command is idempotent by its key, so retrying any other failure is safe. Each budget counts failures of its
 * own kind in the command's history, so a command that met the outage first and a race afterwards still gets its
 * conflict retries.
 * <p>
 * A group of matches that lost a race is not retried whole: one hot player would hold every other match of the group
 * back for as long as its own retries take. {@link GroupCommit} splits it instead.
 */
public final class JitteredRetryScheduler implements RetryScheduler {

    private static final Logger log = LoggerFactory.getLogger(JitteredRetryScheduler.class);

    // The policy's defaults, written only here: the service's settings (ledger.commands.retries.*) default to them.
    // The conflict budget outlasts a hot spot of a few players that three processes write at once (docs/performance.md,
    // "Figures behind the code's choices").
    /** Lost races retried at most this many times. */
    public static final int CONFLICT_RETRIES = 64;
    /** The first wait after a lost race is up to this long; each further one up to twice the last. */
    public static final long CONFLICT_BASE_MILLIS = 10;
    /** No wait after a lost race is longer than this. */
    public static final long CONFLICT_CAP_MILLIS = 250;
    /** Any other transient failure (the database away) is retried this many times. */
    public static final int OTHER_RETRIES = 1;
    /** The most a retry after any other transient failure waits (a random wait up to it). */
    public static final long OTHER_WAIT_MILLIS = 200;

    private final ScheduledExecutorService retryExecutor;
    private final int conflictRetries;
    private final long baseMillis;
    private final long capMillis;
    private final int otherRetries;
    private final long otherMillis;
    private final LongUnaryOperator random;
    private final LongAdder conflictsRetried = new LongAdder();
    private final LongAdder othersRetried = new LongAdder();
    private final LongAdder givenUp = new LongAdder();

    private JitteredRetryScheduler(Builder builder) {
        this.retryExecutor = Objects.requireNonNull(builder.retryExecutor, "retryExecutor is required");
        this.conflictRetries = builder.conflictRetries;
        this.baseMillis = builder.baseMillis;
        this.capMillis = builder.capMillis;
        this.otherRetries = builder.otherRetries;
        this.otherMillis = builder.otherMillis;
        this.random = builder.random;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean scheduleRetry(
            CommandMessage commandMessage,
            RuntimeException lastFailure,
            List<Class<? extends Throwable>[]> failures,
            Runnable dispatchTask) {
        if (isNonTransient(lastFailure) || waitedInVain(lastFailure)) {
            return false;
        }
        boolean conflict = isConflict(lastFailure);
        if (conflict
                && commandMessage.getPayload() instanceof RecordMatchesCommand group
                && group.matches().size() > 1) {
            return false; // GroupCommit splits it, so that only the halves that meet the other writer run again
        }
        int conflicts = (int)
                failures.stream().filter(JitteredRetryScheduler::isConflict).count();
        int others = failures.size() - conflicts;
        if (conflict ? conflicts > conflictRetries : others > otherRetries) {
            givenUp.increment();
            log.debug(
                    "{} failed {} time(s) ({} lost race(s)); giving up: {}",
                    commandMessage.getPayloadType().getSimpleName(),
                    failures.size(),
                    conflicts,
                    lastFailure.toString());
            return false;
        }
        long delay = conflict ? conflictDelay(conflicts) : random.applyAsLong(otherMillis + 1);
        try {
            retryExecutor.schedule(dispatchTask, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
        (conflict ? conflictsRetried : othersRetried).increment();
        log.debug(
                "{} failed ({}); retry {} in {} ms",
                commandMessage.getPayloadType().getSimpleName(),
                lastFailure.toString(),
                failures.size(),
                delay);
        return true;
    }

    /** The wait before the retry that follows the n-th lost race (n from 1): full jitter, capped. */
    long conflictDelay(int conflicts) {
        int doublings = Math.min(conflicts - 1, 30);
        long ceiling = Math.min(capMillis, baseMillis << doublings);
        return random.applyAsLong(ceiling + 1);
    }

    /** Retries scheduled after a lost race, since start. */
    public long conflictRetries() {
        return conflictsRetried.sum();
    }

    /** Retries scheduled after any other transient failure (the database away), since start. */
    public long otherRetries() {
        return othersRetried.sum();
    }

    /** Commands whose budget ran out: their last failure went to the caller. */
    public long exhausted() {
        return givenUp.sum();
    }

    /** Whether another writer of one of the command's streams won: the store's key refused this one. */
    public static boolean isConflict(Throwable failure) {
        return Causes.any(failure, ConcurrencyException.class::isInstance);
    }

    /**
     * Whether the failure is a wait for the database that ran out: the driver's socket timeout (a
     * {@link SocketTimeoutException} under the driver's exception), a statement cancelled by the server's
     * {@code statement_timeout} or {@code lock_timeout} ({@link SqlFailure}), a JDBC timeout, or no connection
     * from the pool within its connection timeout ({@link SQLTransientConnectionException}, HikariCP's).
     */
    public static boolean waitedInVain(Throwable failure) {
        return Causes.any(
                failure,
                cause -> cause instanceof SocketTimeoutException
                        || cause instanceof SQLTimeoutException
                        || cause instanceof SQLTransientConnectionException
                        || SqlFailure.of(cause)
                                .filter(sql -> sql == SqlFailure.STATEMENT_TIMEOUT || sql == SqlFailure.LOCK_TIMEOUT)
                                .isPresent());
    }

    private static boolean isConflict(Class<? extends Throwable>[] causes) {
        for (Class<? extends Throwable> cause : causes) {
            if (ConcurrencyException.class.isAssignableFrom(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNonTransient(Throwable failure) {
        return Causes.any(failure, AxonNonTransientException.class::isInstance);
    }

    public static final class Builder {

        private ScheduledExecutorService retryExecutor;
        private int conflictRetries = CONFLICT_RETRIES;
        private long baseMillis = CONFLICT_BASE_MILLIS;
        private long capMillis = CONFLICT_CAP_MILLIS;
        private int otherRetries = OTHER_RETRIES;
        private long otherMillis = OTHER_WAIT_MILLIS;
        private LongUnaryOperator random = bound -> ThreadLocalRandom.current().nextLong(bound);

        private Builder() {}

        /** Where retries wait; they are dispatched from its thread, so it only needs one. */
        public Builder retryExecutor(ScheduledExecutorService retryExecutor) {
            this.retryExecutor = retryExecutor;
            return this;
        }

        /**
         * Lost races retried at most {@code retries} times, the n-th after a random wait of up to
         * {@code min(cap, base * 2^(n-1))}.
         */
        public Builder conflicts(int retries, long baseMillis, long capMillis) {
            if (retries < 0 || baseMillis < 1 || capMillis < baseMillis) {
                throw new IllegalArgumentException("need retries >= 0 and 1 <= base <= cap");
            }
            this.conflictRetries = retries;
            this.baseMillis = baseMillis;
            this.capMillis = capMillis;
            return this;
        }

        /** Other transient failures retried at most {@code retries} times, after a random wait of up to the given. */
        public Builder others(int retries, long maxWaitMillis) {
            if (retries < 0 || maxWaitMillis < 0) {
                throw new IllegalArgumentException("need retries >= 0 and a wait >= 0");
            }
            this.otherRetries = retries;
            this.otherMillis = maxWaitMillis;
            return this;
        }

        /** For tests: given an exclusive bound, a number in [0, bound). */
        Builder random(LongUnaryOperator random) {
            this.random = random;
            return this;
        }

        public JitteredRetryScheduler build() {
            return new JitteredRetryScheduler(this);
        }
    }
}
