package io.matchledger.api.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Stamps every command with who sent it ({@value #PRINCIPAL}: the authenticated account) and in which request
 * ({@value #REQUEST_ID}); a correlation data provider copies both onto every event the command appends, so an auditor
 * sees who recorded what.
 * <p>
 * As a bean it is registered on the {@code CommandGateway} by Axon, where it runs once, on the request thread, where
 * the security context and the request are. Not on the command bus: the gateway's retries re-dispatch on the retry
 * scheduler's thread, which knows neither; they re-send the message stamped here.
 */
public class RecordedBy implements MessageDispatchInterceptor<CommandMessage<?>> {

    public static final String PRINCIPAL = "principal";
    public static final String REQUEST_ID = "requestId";

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(
            List<? extends CommandMessage<?>> messages) {
        Map<String, Object> origin = ofThisRequest();
        return (index, command) -> origin.isEmpty() ? command : command.andMetaData(origin);
    }

    /**
     * Who sent the request this thread serves, and which request it is: for a match queued for a group commit, whose
     * command is sent later from another thread.
     */
    public static Map<String, Object> ofThisRequest() {
        Map<String, Object> origin = new HashMap<>();
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller != null && caller.isAuthenticated() && !(caller instanceof AnonymousAuthenticationToken)) {
            origin.put(PRINCIPAL, caller.getName());
        }
        RequestIdentity.current().ifPresent(requestId -> origin.put(REQUEST_ID, requestId));
        return origin;
    }
}
