package io.matchledger.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a plain token, otherwise a new UUID. It is
 * echoed in the response and recorded on every event the request appends, so a caller's log line and the ledger's
 * history can be matched. Anything else the caller sends there is dropped: it ends up in events and log lines.
 */
public class RequestIdentity extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";

    private static final String ATTRIBUTE = RequestIdentity.class.getName();
    /** What a caller's request id may be: a plain token, as it ends up in events and log lines. */
    public static final String FORMAT = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

    private static final Pattern SANE = Pattern.compile(FORMAT);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String offered = request.getHeader(HEADER);
        String requestId = offered != null && SANE.matcher(offered).matches()
                ? offered
                : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, requestId);
        response.setHeader(HEADER, requestId);
        // Every log line of the request names it (a field of the structured logs, beside the trace id).
        MDC.put(MDC_KEY, requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The request id's key in the logging context (MDC), and so its field in structured logs. */
    public static final String MDC_KEY = "requestId";

    /** The id of the request this thread is serving, if it is serving one. */
    public static Optional<String> current() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        return request == null
                ? Optional.empty()
                : Optional.ofNullable((String) request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }
}
