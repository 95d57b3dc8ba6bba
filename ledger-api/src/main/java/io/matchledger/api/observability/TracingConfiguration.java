package io.matchledger.api.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.prometheus.metrics.tracer.common.SpanContext;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.tracing.TracingProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * One trace per request (ADR 0021): Spring's HTTP server span (Micrometer Observation on OpenTelemetry), Axon's own
 * spans on the same OpenTelemetry, the group a match was committed in and the projection batches that applied its
 * events, linked. W3C {@code traceparent} in (Spring's propagation) and out ({@link TraceResponseHeader}).
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    /**
     * Axon's OpenTelemetry span factory on Spring Boot's OpenTelemetry, not the global one Axon's auto-configuration
     * would use (which Spring Boot never sets): Axon's spans and the HTTP server span share one tracer, one sampler
     * and one exporter, and Axon propagates the context through messages' metadata as W3C {@code traceparent}.
     */
    @Bean
    SpanFactory spanFactory(ObjectProvider<OpenTelemetry> openTelemetry) {
        OpenTelemetry otel = openTelemetry.getIfAvailable(OpenTelemetry::noop);
        return OpenTelemetrySpanFactory.builder()
                .tracer(otel.getTracer("org.axonframework"))
                .contextPropagators(otel.getPropagators().getTextMapPropagator())
                .build();
    }

    @Bean
    EventProcessorSpanFactory eventProcessorSpanFactory(SpanFactory spanFactory) {
        return new LinkedBatchSpans(spanFactory);
    }

    /**
     * Spring Boot's sampler (parent-based, {@code management.tracing.sampling.probability} at the root), but a root
     * span linked to a sampled span is sampled too: the batch of a projection, or the group of matches, that served a
     * sampled request is kept with it.
     */
    @Bean
    Sampler otelSampler(TracingProperties tracing) {
        return new LinkedSampler(tracing.getSampling().getProbability());
    }

    /**
     * No exemplars (trace ids beside samples) in {@code /actuator/prometheus}: Micrometer puts one on the {@code _count}
     * of a histogram, which OpenMetrics does not allow there, and Prometheus (Debian's 2.42, which the operators'
     * dashboard test runs) then refuses the whole scrape. Spring Boot adds them whenever tracing is on, unless a
     * {@link SpanContext} of one's own says no span is sampled.
     */
    @Bean
    SpanContext noExemplars() {
        return new SpanContext() {
            @Override
            public String getCurrentTraceId() {
                return null;
            }

            @Override
            public String getCurrentSpanId() {
                return null;
            }

            @Override
            public boolean isCurrentSpanSampled() {
                return false;
            }

            @Override
            public void markCurrentSpanAsExemplar() {}
        };
    }

    /** After the HTTP server span has started (its filter runs at the highest precedence), before anything answers. */
    @Bean
    FilterRegistrationBean<TraceResponseHeader> traceResponseHeader() {
        FilterRegistrationBean<TraceResponseHeader> registration =
                new FilterRegistrationBean<>(new TraceResponseHeader());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
