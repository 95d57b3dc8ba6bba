package io.matchledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A command whose transaction cannot start, because the pool has no connection to give within its timeout (a
 * database that is away, or a pool taken up by a silent one), is answered with that failure. Axon's bus starts the
 * transaction outside the part that reports a command's result; there the failure killed the command thread and the
 * caller waited for good (AxonConfiguration#commandBus starts it in an interceptor instead). On the service's own
 * pool, whose connection timeout is lowered to half a second (it is fixed when the pool starts): the test takes every
 * connection it has.
 */
@SpringBootTest(properties = "spring.datasource.hikari.connection-timeout=500")
@ActiveProfiles("test")
class TransactionThatCannotStartTest {

    @Autowired
    HikariDataSource pool;

    @Autowired
    CommandGateway commands;

    @Test
    void aCommandWhoseTransactionCannotStartIsAnsweredWithTheFailure() throws Exception {
        commands.sendAndWait(new RegisterPlayerCommand("no-connection", "No Connection"));
        List<Connection> held = new ArrayList<>();
        try {
            // Every connection of the pool, as the processors let go of theirs between batches.
            while (held.size() < pool.getMaximumPoolSize()) {
                try {
                    held.add(pool.getConnection());
                } catch (SQLException busy) {
                    // the processors hold one for a moment; ask again
                }
            }
            CompletableFuture<Object> answer = commands.send(new AdjustPointsCommand("no-connection", "nc-1", 5, "x"));
            assertThat(answer)
                    .failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat()
                    .havingRootCause()
                    .isInstanceOf(SQLTransientConnectionException.class);
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        // The pool is whole again: the same command is recorded, once.
        CompletableFuture<Object> again = commands.send(new AdjustPointsCommand("no-connection", "nc-1", 5, "x"));
        assertThat(again).succeedsWithin(Duration.ofSeconds(30));
    }
}
