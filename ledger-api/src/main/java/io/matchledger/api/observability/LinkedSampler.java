package io.matchledger.api.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Parent-based sampling with a ratio at the root, as Spring Boot configures it, except that a root span linked to a
 * sampled span is sampled: {@code GroupCommit}'s and the projections' batch spans serve many requests, and must be
 * kept when any of them is. Costs nothing more when nothing is sampled.
 */
final class LinkedSampler implements Sampler {

    private final Sampler parentBased;

    LinkedSampler(float probability) {
        this.parentBased = Sampler.parentBased(Sampler.traceIdRatioBased(probability));
    }

    @Override
    public SamplingResult shouldSample(
            Context parentContext,
            String traceId,
            String name,
            SpanKind spanKind,
            Attributes attributes,
            List<LinkData> parentLinks) {
        SpanContext parent = Span.fromContext(parentContext).getSpanContext();
        if (!parent.isValid()
                && parentLinks.stream().anyMatch(link -> link.getSpanContext().isSampled())) {
            return SamplingResult.recordAndSample();
        }
        return parentBased.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "LinkedSampler{" + parentBased.getDescription() + "}";
    }
}
