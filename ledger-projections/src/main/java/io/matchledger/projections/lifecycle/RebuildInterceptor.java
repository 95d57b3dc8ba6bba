package io.matchledger.projections.lifecycle;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;

/**
 * Runs around each event a rebuild hands to the projection it rebuilds (Spring beans of this type are registered on
 * every rebuild's processor): for metrics, or for a test that holds a rebuild halfway to look at the service there.
 */
public interface RebuildInterceptor extends MessageHandlerInterceptor<EventMessage<?>> {}
