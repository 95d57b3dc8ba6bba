package io.matchledger.projections.failures;

import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.ListenerInvocationErrorHandler;
import org.springframework.stereotype.Component;

/**
 * A projection never skips an event. Axon's default handler of a listener's exception logs it and goes on with the
 * next event, so a read model silently misses the event for good. Here the exception fails the processor's batch:
 * its transaction rolls back (rows and token together), and the tracking processor retries the batch with its own
 * back-off (1 s, doubling to 60 s). A transient failure, such as a database that went away, heals by itself; an event
 * that fails every time holds that one projection at that event, in error, until the cause is fixed or the projection
 * is rebuilt. Every read model is kept by the one processor (ADR 0018), so all of them stop at that event; the failure
 * names the read model whose handler failed (docs/decisions/0006).
 */
@Component
public class StopAtFailingEvent implements ConfigurerModule {

    @Override
    public void configureModule(Configurer configurer) {
        configurer.eventProcessing().registerDefaultListenerInvocationErrorHandler(c -> StopAtFailingEvent::fail);
    }

    /** A {@link ListenerInvocationErrorHandler}: rethrows the handler's exception, naming the event. */
    static void fail(Exception exception, EventMessage<?> event, EventMessageHandler eventHandler) {
        throw exception instanceof ProjectionFailure failure
                ? failure
                : new ProjectionFailure(event, eventHandler.getTargetType(), exception);
    }
}
