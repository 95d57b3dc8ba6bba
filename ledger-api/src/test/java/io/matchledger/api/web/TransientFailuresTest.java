package io.matchledger.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.pool.HikariPool;
import io.matchledger.core.api.LedgerBusy;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerTimeout;
import jakarta.persistence.PersistenceException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** What reaches the problem handler while the database is away or writers race, as it arrives: wrapped. */
class TransientFailuresTest {

    private final ProblemResponses responses = new ProblemResponses();

    static Stream<Arguments> failures() {
        SQLException hikariTimeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 2000ms.");
        SQLException shutDown = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        SQLException broken = new SQLException("An I/O error occurred while sending to the backend.", "08006");
        SQLException startingUp = new SQLException("FATAL: the database system is starting up", "57P03");
        return Stream.of(
                // Writes: the transaction cannot begin, or breaks in the middle, or at commit.
                Arguments.of(
                        new CannotCreateTransactionException(
                                "Could not open JPA EntityManager for transaction",
                                new JDBCConnectionException("no connection", hikariTimeout)),
                        503,
                        "unavailable"),
                Arguments.of(
                        new EventStoreException(
                                "An event for aggregate [sp-1] at sequence [7] could not be " + "persisted",
                                new PersistenceException(shutDown)),
                        503,
                        "unavailable"),
                Arguments.of(
                        new TransactionSystemException(
                                "Could not commit JPA transaction", new PersistenceException(broken)),
                        503,
                        "unavailable"),
                Arguments.of(new JpaSystemException(new PersistenceException(startingUp)), 503, "unavailable"),
                Arguments.of(
                        new DataAccessResourceFailureException("Unable to acquire JDBC Connection", broken),
                        503,
                        "unavailable"),
                Arguments.of(new HikariPool.PoolInitializationException(refused), 503, "unavailable"),
                // Seen in the PostgreSQL restart: Hikari's proxy of a connection that broke under the query.
                Arguments.of(
                        new GenericJDBCException(
                                "could not prepare statement [Connection is closed]",
                                new SQLException("Connection is closed")),
                        503,
                        "unavailable"),
                // Axon's token store and JDBC helpers.
                Arguments.of(new JdbcException("Failed to obtain a database connection", refused), 503, "unavailable"),
                // Reads: a query handler's failure arrives in the query's future.
                Arguments.of(
                        new CompletionException(new QueryExecutionException(
                                "query failed", new CannotGetJdbcConnectionException("no connection", hikariTimeout))),
                        503,
                        "unavailable"),
                Arguments.of(new CompletionException(new QueryTimeoutException("timed out")), 503, "unavailable"),
                // A database that stopped answering: the driver's socket timeout, the server's statement and
                // idle-in-transaction timeouts (ledger.database), a group not decided in time.
                Arguments.of(
                        new TransactionSystemException(
                                "Could not commit JPA transaction",
                                new PersistenceException(new SQLException(
                                        "An I/O error occurred while sending to the backend.",
                                        "08006",
                                        new SocketTimeoutException("Read timed out")))),
                        503,
                        "unavailable"),
                Arguments.of(
                        new JpaSystemException(new PersistenceException(
                                new SQLException("canceling statement due to statement timeout", "57014"))),
                        503,
                        "unavailable"),
                Arguments.of(
                        new JpaSystemException(new PersistenceException(new SQLException(
                                "terminating connection due to idle-in-transaction timeout", "25P03"))),
                        503,
                        "unavailable"),
                Arguments.of(new LedgerTimeout("not decided in time"), 503, "unavailable"),
                Arguments.of(new LedgerBusy("queued too long"), 503, "busy"),
                // Lost races: the gateway's retries ran out.
                Arguments.of(new ConcurrencyException("another writer was first"), 503, "contention"),
                Arguments.of(
                        new CommandExecutionException("failed", new ConcurrencyException("second")), 503, "contention"),
                Arguments.of(
                        new CannotAcquireLockException("deadlock", new SQLException("deadlock detected", "40P01")),
                        503,
                        "contention"),
                // A refusal still is one; anything else is a 500.
                Arguments.of(
                        new CommandExecutionException("refused", LedgerRefusal.notFound("player x")), 404, "not-found"),
                Arguments.of(new IllegalStateException("a bug"), 500, "internal"),
                Arguments.of(
                        new JpaSystemException(new PersistenceException(new SQLException("syntax", "42601"))),
                        500,
                        "internal"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void answers(Exception failure, int status, String type) {
        ResponseEntity<ProblemDetail> answer = failure instanceof CommandExecutionException command
                ? responses.commandFailed(command)
                : failure instanceof LedgerTimeout late
                        ? responses.late(late)
                        : failure instanceof LedgerBusy busy ? responses.busy(busy) : responses.internal(failure);
        assertThat(answer.getStatusCode().value()).as("%s", failure).isEqualTo(status);
        assertThat(answer.getBody().getType()).hasToString("/problems/" + type);
        if (status == 503) {
            assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                    .as("%s", failure)
                    .matches("[1-9][0-9]*");
        } else {
            assertThat(answer.getHeaders().containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
        }
    }
}
