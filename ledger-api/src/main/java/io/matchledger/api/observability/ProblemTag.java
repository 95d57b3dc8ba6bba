package io.matchledger.api.observability;

import io.matchledger.api.problems.ProblemType;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Spring's HTTP server observation ({@code http_server_requests}: rate and latency by uri, method and status) with one
 * more tag, {@code problem}: the type of the problem the request was answered with, {@code none} for an answer that is
 * no problem. A 503 says why (contention, busy, unavailable, not-yet-visible), which the dashboard and alerts show.
 */
@Component
class ProblemTag extends DefaultServerRequestObservationConvention {

    static final String KEY = "problem";

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        Object answered = context.getCarrier().getAttribute(ProblemType.ANSWERED);
        return super.getLowCardinalityKeyValues(context)
                .and(KeyValue.of(KEY, answered instanceof String type ? type : "none"));
    }
}
