package io.matchledger.api.observability;

import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.messaging.Message;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanFactory;

/**
 * Replaces Axon's {@code DefaultEventProcessorSpanFactory}, whose batch span of a streaming processor is a root with no
 * link to the events it handles (each event's span joins its own trace instead, and the batch is lost from every
 * request's picture). Here a batch is one span, a new trace, linked to the context every event of it carries (the
 * request that appended it): one batch serves many requests, so it is linked rather than a child of any. Each event is
 * handled in a child span of the batch. Listed in docs/axon-overrides.md; guarded by {@code TracingTest}.
 */
final class LinkedBatchSpans implements EventProcessorSpanFactory {

    private final SpanFactory spans;

    LinkedBatchSpans(SpanFactory spans) {
        this.spans = spans;
    }

    @Override
    public Span createBatchSpan(boolean streaming, List<? extends EventMessage<?>> events) {
        if (!streaming || events.isEmpty()) {
            return NoOpSpanFactory.NoOpSpan.INSTANCE;
        }
        Message<?>[] others = events.subList(1, events.size()).toArray(Message<?>[]::new);
        return spans.createHandlerSpan(() -> "StreamingEventProcessor.batch", events.get(0), false, others)
                .addAttribute("axon.batch.size", Integer.toString(events.size()));
    }

    @Override
    public Span createProcessEventSpan(boolean streaming, EventMessage<?> event) {
        return streaming
                ? spans.createInternalSpan(() -> "StreamingEventProcessor.process", event)
                : spans.createChildHandlerSpan(() -> "EventProcessor.process", event);
    }
}
