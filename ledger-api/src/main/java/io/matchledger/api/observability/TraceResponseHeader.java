package io.matchledger.api.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code traceparent} out: every answer names the trace and the server span that served it, in the W3C format the
 * request's own {@code traceparent} came in, so a caller can find its request in the traces (and in the logs, which
 * carry the same trace id) without having sent one.
 */
final class TraceResponseHeader extends OncePerRequestFilter {

    static final String HEADER = "traceparent";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            response.setHeader(
                    HEADER,
                    "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                            + span.getTraceFlags().asHex());
        }
        chain.doFilter(request, response);
    }
}
