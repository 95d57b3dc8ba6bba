package io.matchledger.api.database;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.database.*}: how long the service waits for its database before it answers 503 instead, so that a
 * database that falls silent (a network partition, a frozen server or VM, a commit held by a synchronous standby) is
 * an outage the service notices and reports, not requests that hang (ADR 0020). They apply to PostgreSQL ({@link
 * DatabaseTimeouts}); an embedded H2 has no network to fall silent, and only {@code healthTimeout} applies to it.
 *
 * @param socketTimeout            how long a connection waits for the database to answer a statement or a commit
 *                                 (pgjdbc's {@code socketTimeout}); past it the connection is given up and the request
 *                                 answers 503. Whole seconds (the driver's unit). Every statement of the service is
 *                                 short (rebuilds, audit pages and exports read in pages of 1,000 rows), so only a
 *                                 silent database reaches it; but a commit that waits longer on a synchronous standby
 *                                 is given up by the client while PostgreSQL may still commit it: the write was not
 *                                 acknowledged, and its retry answers 200 once it has committed
 * @param statementTimeout         how long the server runs a statement before it cancels it ({@code
 *                                 statement_timeout}); below the socket timeout, so that a statement the server is
 *                                 slow at ends with a clear error on a connection that survives, and the server stops
 *                                 working for a client about to give up. PostgreSQL never applies it to a commit (it is
 *                                 switched off before the commit runs), so it cannot cut a wait for a standby short
 * @param connectTimeout           how long opening a connection may take, TCP connect and login (pgjdbc's
 *                                 {@code connectTimeout} and {@code loginTimeout}); whole seconds. No request waits
 *                                 for it (a request waits the pool's {@code connection-timeout} for a connection); it
 *                                 bounds the pool's own attempts, and the first connection of a JVM that is still
 *                                 loading its classes on a busy machine took more than 2 s
 * @param lockTimeout              how long a statement waits for a lock before PostgreSQL refuses it
 *                                 ({@code lock_timeout}): an append waiting on another writer's uncommitted key, a
 *                                 token claim, a rebuild's rename. Those waits are milliseconds; a longer one means
 *                                 the other writer is stuck, and the request answers 503 instead of waiting with it
 * @param idleInTransactionTimeout how long PostgreSQL keeps a transaction whose client has said nothing
 *                                 ({@code idle_in_transaction_session_timeout}): the service never pauses within a
 *                                 transaction for more than milliseconds, so this only ends the sessions of a client
 *                                 that froze or was cut off, and the locks and the global index they hold
 * @param healthTimeout            how long {@code /actuator/health}'s {@code db} check waits for an answer before it
 *                                 reports DOWN ({@link DatabaseHealthIndicator}), whatever the database does
 */
@Validated
@ConfigurationProperties("ledger.database")
public record DatabaseSettings(
        @NotNull @DurationMin(seconds = 1) @DefaultValue("5s")
        Duration socketTimeout,

        @NotNull @DurationMin(millis = 1) @DefaultValue("4s")
        Duration statementTimeout,

        @NotNull @DurationMin(seconds = 1) @DefaultValue("10s")
        Duration connectTimeout,

        @NotNull @DurationMin(millis = 1) @DefaultValue("3s")
        Duration lockTimeout,

        @NotNull @DurationMin(seconds = 1) @DefaultValue("10s")
        Duration idleInTransactionTimeout,

        @NotNull @DurationMin(millis = 100) @DefaultValue("2s")
        Duration healthTimeout) {

    @AssertTrue(message = "socket-timeout and connect-timeout are whole seconds (pgjdbc's unit)")
    public boolean isInWholeSeconds() {
        return socketTimeout == null
                || connectTimeout == null
                || (socketTimeout.toMillisPart() == 0 && connectTimeout.toMillisPart() == 0);
    }

    @AssertTrue(message = "statement-timeout is below socket-timeout: the server ends a slow statement first")
    public boolean isStatementTimeoutBelowSocketTimeout() {
        return socketTimeout == null || statementTimeout == null || statementTimeout.compareTo(socketTimeout) < 0;
    }
}
