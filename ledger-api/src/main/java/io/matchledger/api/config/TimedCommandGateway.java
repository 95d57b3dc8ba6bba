package io.matchledger.api.config;

import io.matchledger.core.api.LedgerTimeout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;

/**
 * The ledger's command gateway with a deadline on every wait: {@code sendAndWait} without one waits at most
 * {@code ledger.commands.timeout}, and a command not decided by then is answered {@link LedgerTimeout} (503: it may
 * yet be recorded; sending it again is safe, every command being idempotent by its key). Axon's gateway waits for
 * good, so a command held by a database that stopped answering, or queued behind such commands for a command thread,
 * held its caller for as long. The asynchronous {@code send}s are unchanged ({@code GroupCommit} keeps its own
 * deadlines).
 */
final class TimedCommandGateway implements CommandGateway {

    private final CommandGateway gateway;
    private final Duration timeout;

    TimedCommandGateway(CommandGateway gateway, Duration timeout) {
        this.gateway = gateway;
        this.timeout = timeout;
    }

    @Override
    public <C, R> void send(C command, CommandCallback<? super C, ? super R> callback) {
        gateway.send(command, callback);
    }

    @Override
    public <R> CompletableFuture<R> send(Object command) {
        return gateway.send(command);
    }

    @Override
    public <R> CompletableFuture<R> send(Object command, MetaData metaData) {
        return gateway.send(command, metaData);
    }

    @Override
    public <R> R sendAndWait(Object command) {
        return sendAndWait(command, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public <R> R sendAndWait(Object command, MetaData metaData) {
        return sendAndWait(command, metaData, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public <R> R sendAndWait(Object command, long wait, TimeUnit unit) {
        return inTime(command, wait, unit, (c, w) -> gateway.sendAndWait(c, w, TimeUnit.MILLISECONDS));
    }

    @Override
    public <R> R sendAndWait(Object command, MetaData metaData, long wait, TimeUnit unit) {
        return inTime(command, wait, unit, (c, w) -> gateway.sendAndWait(c, metaData, w, TimeUnit.MILLISECONDS));
    }

    /** Axon reports a wait that ran out as a CommandExecutionException over a TimeoutException. */
    private static <R> R inTime(Object command, long wait, TimeUnit unit, BiFunction<Object, Long, R> send) {
        long millis = unit.toMillis(wait);
        try {
            return send.apply(command, millis);
        } catch (CommandExecutionException failed) {
            if (failed.getCause() instanceof TimeoutException) {
                String name = command instanceof CommandMessage<?> message
                        ? message.getPayloadType().getSimpleName()
                        : command.getClass().getSimpleName();
                throw new LedgerTimeout(
                        name + " was not decided within " + millis + " ms; it may yet be recorded: send it again");
            }
            throw failed;
        }
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
        return gateway.registerDispatchInterceptor(dispatchInterceptor);
    }
}
