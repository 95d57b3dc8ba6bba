package io.matchledger.core;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The SQL states the service tells apart, classified in this one place; what each means for a command (retried or
 * not, {@link JitteredRetryScheduler}) and for its caller (which 503, the api's {@code TransientFailures}) is decided
 * from these.
 */
public enum SqlFailure {
    /** 40001 serialization failure, 40P01 deadlock detected: a race lost in the database itself. */
    RACE_LOST,
    /** 55P03 lock not available: a statement waited past {@code lock_timeout} for another writer's lock. */
    LOCK_TIMEOUT,
    /** 57014 query cancelled: a statement ran past {@code statement_timeout}. */
    STATEMENT_TIMEOUT,
    /**
     * The database is away: class 08 (connection exception: refused, broken, closed, or a socket timeout when the
     * database stopped answering), 57P01-57P03 (PostgreSQL is shutting down, crashed or starting up), 53300 (too many
     * connections), 25P03 (the server ended a transaction that sat idle past
     * {@code idle_in_transaction_session_timeout}, its client frozen or cut off).
     */
    UNAVAILABLE;

    /** What {@code cause} says, when it is an {@link SQLException} with one of the states above. */
    public static Optional<SqlFailure> of(Throwable cause) {
        return cause instanceof SQLException sql ? ofState(sql.getSQLState()) : Optional.empty();
    }

    /** What an SQL state says, when it is one of the states above. */
    public static Optional<SqlFailure> ofState(String state) {
        if (state == null) {
            return Optional.empty();
        }
        return switch (state) {
            case "40001", "40P01" -> Optional.of(RACE_LOST);
            case "55P03" -> Optional.of(LOCK_TIMEOUT);
            case "57014" -> Optional.of(STATEMENT_TIMEOUT);
            case "53300", "25P03" -> Optional.of(UNAVAILABLE);
            default -> state.startsWith("08") || state.startsWith("57P") ? Optional.of(UNAVAILABLE) : Optional.empty();
        };
    }

    /** Whether the failure or any of its causes says {@code this}. */
    public boolean in(Throwable failure) {
        return Causes.any(failure, cause -> of(cause).orElse(null) == this);
    }
}
