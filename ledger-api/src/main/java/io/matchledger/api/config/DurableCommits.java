package io.matchledger.api.config;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.dao.DataAccessResourceFailureException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Acknowledged means durable: a command is answered only once its commit is in the database's file (ADR 0009).
 * <p>
 * On PostgreSQL a commit is durable when it returns ({@code synchronous_commit}), so there is nothing to wait for. H2
 * writes its file from a background thread up to {@code WRITE_DELAY} (500 ms) after a commit; {@code WRITE_DELAY=0}
 * made every commit write it at once, the projections' commits as well, and H2's store is copy-on-write: each commit
 * rewrote every page it changed and their parents, which was half of the CPU of every thread that commits. Instead a
 * command, after its unit of work committed, asks H2 to write what is committed ({@code CHECKPOINT}, one store of the
 * file, without fsync) and is answered after that. Stores take turns, so commands that commit while one is written
 * share the next one, and the projections' commits ride along: a projection loses nothing it has not acknowledged to
 * anyone, since its token commits with its rows and is only behind after a crash.
 */
public interface DurableCommits {

    /** Returns once every commit made before the call is in the database's file; throws if it cannot be written. */
    void awaitDurable();

    /** For a database whose commit is durable on its own. */
    static DurableCommits onCommit() {
        return () -> { };
    }

    /** For an H2 file: one store of the file per call, shared by the commits made while the previous one ran. */
    static DurableCommits h2(DataSource dataSource) {
        return () -> {
            try (Connection connection = dataSource.getConnection();
                 Statement checkpoint = connection.createStatement()) {
                checkpoint.execute("CHECKPOINT");
            } catch (SQLException failed) {
                throw new DataAccessResourceFailureException("H2 could not write the committed data to its file",
                                                             failed);
            }
        };
    }

    /**
     * Holds each command's answer until its commit is durable. It runs in the unit of work's commit phase, right after
     * the transaction's own commit (which the bus attached, and so registered, first): an error there fails the
     * command, which then answers 503 and is sent again, where an error after the commit phase is only logged by
     * Axon. The rollback that follows cannot undo the commit; it evicts the cached ledgers, which reload from the
     * store.
     */
    static MessageHandlerInterceptor<CommandMessage<?>> beforeAnswering(DurableCommits durable) {
        return new MessageHandlerInterceptor<>() {
            @Override
            public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
                    throws Exception {
                unitOfWork.onCommit(committed -> durable.awaitDurable());
                return chain.proceed();
            }
        };
    }
}
