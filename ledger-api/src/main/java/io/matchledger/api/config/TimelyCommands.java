package io.matchledger.api.config;

import io.matchledger.core.api.LedgerTimeout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/**
 * How a request sends a command alone (a registration, an adjustment, a void, a season's definition): it waits at
 * most {@code ledger.commands.timeout} for the answer, and a command not decided by then is answered {@link
 * LedgerTimeout} (503: it may yet be recorded; sending it again is safe, every command being idempotent by its key).
 * Axon's gateway waits for good, so a command held by a database that stopped answering, or queued behind such
 * commands for a command thread, held its request as long. Matches have their own deadline ({@code GroupCommit}); the
 * service's own callers (the sealer, the tests) use the gateway and wait as long as a command takes, such as the first
 * load of a player with a hundred thousand events.
 */
@Component
public class TimelyCommands {

    private final CommandGateway gateway;
    private final Duration timeout;

    TimelyCommands(CommandGateway gateway, CommandSettings settings) {
        this.gateway = gateway;
        this.timeout = settings.timeout();
    }

    /** The command's answer, or what it failed with (as the gateway throws it), or {@link LedgerTimeout}. */
    public <R> R sendAndWait(Object command) {
        try {
            return gateway.sendAndWait(command, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (CommandExecutionException failed) {
            // Axon reports a wait that ran out as a CommandExecutionException over a TimeoutException.
            if (failed.getCause() instanceof TimeoutException) {
                throw new LedgerTimeout(command.getClass().getSimpleName() + " was not decided within "
                        + timeout.toMillis() + " ms; it may yet be recorded: send it again");
            }
            throw failed;
        }
    }
}
