package io.matchledger.api.web;

import io.matchledger.core.Causes;
import io.matchledger.core.JitteredRetryScheduler;
import io.matchledger.core.SqlFailure;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.hibernate.exception.JDBCConnectionException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Which failures mean "try again later" rather than "something is wrong", and which 503 they are: the whole cause
 * chain is searched ({@link Causes}), the first cause that says either decides, and SQL states are read as
 * {@link SqlFailure} classifies them.
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
        return Causes.of(failure)
                .map(TransientFailures::kindOf)
                .filter(kind -> kind != Kind.OTHER)
                .findFirst()
                .orElse(Kind.OTHER);
    }

    private static Kind kindOf(Throwable cause) {
        SqlFailure sql = SqlFailure.of(cause).orElse(null);
        if (cause instanceof ConcurrencyFailureException
                || sql == SqlFailure.RACE_LOST
                || sql == SqlFailure.LOCK_TIMEOUT) {
            // A deadlock, a serialisation failure or a lock waited for in vain in the database: a race lost there.
            return Kind.CONTENTION;
        }
        if (isUnavailable(cause) || sql == SqlFailure.UNAVAILABLE || sql == SqlFailure.STATEMENT_TIMEOUT) {
            return Kind.UNAVAILABLE;
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
                // Hikari's proxy of a connection that broke under the request says so without an SQL state.
                || (cause instanceof SQLException closed
                        && closed.getSQLState() == null
                        && "Connection is closed".equals(closed.getMessage()));
    }

    /** One line for the log: the outermost failure and the innermost cause, no stack trace, no SQL. */
    static String describe(Throwable failure) {
        Throwable root = Causes.root(failure);
        return root == failure
                ? failure.getClass().getName()
                : failure.getClass().getName() + " caused by " + root.getClass().getName() + ": " + root.getMessage();
    }
}
