package io.matchledger.api.web;

import io.matchledger.core.JitteredRetryScheduler;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.hibernate.exception.JDBCConnectionException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures mean "try again later" rather than "something is wrong": the cause chain is searched, because they
 * arrive wrapped by whoever was in between (the command bus, Axon's event store as {@code EventStoreException},
 * its token store as {@code JdbcException}, Spring's transaction manager, a query's {@code CompletionException}).
 */
final class TransientFailures {

    enum Kind {
        /** Other writers of the same streams won every race the command's retries allowed. */
        CONTENTION,
        /** The database cannot be reached, or a connection to it broke. */
        UNAVAILABLE,
        /** Anything else: a 500. */
        OTHER
    }

    private TransientFailures() {}

    static Kind classify(Throwable failure) {
        if (JitteredRetryScheduler.isConflict(failure)) {
            return Kind.CONTENTION;
        }
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable cause = failure; cause != null && seen.put(cause, true) == null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyFailureException || isLockConflict(cause)) {
                // A deadlock or a serialisation failure in the database: a race lost there.
                return Kind.CONTENTION;
            }
            if (isUnavailable(cause)) {
                return Kind.UNAVAILABLE;
            }
        }
        return Kind.OTHER;
    }

    private static boolean isUnavailable(Throwable cause) {
        return cause instanceof CannotCreateTransactionException // no connection for a new transaction
                || cause instanceof DataAccessResourceFailureException // incl. CannotGetJdbcConnectionException
                || cause instanceof TransientDataAccessException // e.g. a query timeout
                || cause instanceof RecoverableDataAccessException
                || cause instanceof JDBCConnectionException // Hibernate: SQL state 08
                || cause instanceof SQLTransientException // incl. Hikari's "Connection is not available"
                || cause instanceof SQLRecoverableException
                || cause instanceof SQLNonTransientConnectionException
                || cause instanceof ConnectException
                || (cause instanceof SQLException sql && isUnavailableState(sql.getSQLState()))
                // Hikari's proxy of a connection that broke under the request says so without an SQL state.
                || (cause instanceof SQLException closed
                        && closed.getSQLState() == null
                        && "Connection is closed".equals(closed.getMessage()));
    }

    /**
     * SQL states of a database that is away: class 08 (connection exception: refused, broken, closed, or a socket
     * timeout, when the database stopped answering), 57P01-57P03 (PostgreSQL is shutting down, crashed or starting
     * up), 53300 (too many connections); and of one too slow to answer in time: 57014 (a statement cancelled by
     * {@code statement_timeout}), 25P03 (the server ended a transaction that sat idle past
     * {@code idle_in_transaction_session_timeout}, its client frozen or cut off).
     */
    private static boolean isUnavailableState(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.startsWith("57P")
                        || state.equals("53300")
                        || state.equals("57014")
                        || state.equals("25P03"));
    }

    /** 40001 serialization failure, 40P01 deadlock detected (PostgreSQL), 55P03 lock not available. */
    private static boolean isLockConflict(Throwable cause) {
        return cause instanceof SQLException sql
                && sql.getSQLState() != null
                && (sql.getSQLState().equals("40001")
                        || sql.getSQLState().equals("40P01")
                        || sql.getSQLState().equals("55P03"));
    }

    /** One line for the log: the outermost failure and the innermost cause, no stack trace, no SQL. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        while (root.getCause() != null && seen.put(root, true) == null) {
            root = root.getCause();
        }
        return root == failure
                ? failure.getClass().getName()
                : failure.getClass().getName() + " caused by " + root.getClass().getName() + ": " + root.getMessage();
    }
}
