package io.matchledger.api.positions;

import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.projections.lifecycle.Projections;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Read your own writes: a read of a {@link ReadModel} operation with {@code minPosition=n} (a write's
 * {@code Ledger-Position}) is answered once that projection has reached {@code n}, waiting at most
 * {@code ledger.read-your-writes.max-wait}; past it the answer is 503 with {@code Retry-After}, never the older state
 * as if it were current. Without the parameter nothing is waited for or looked up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadYourWritesSettings.class)
public class MinPosition implements WebMvcConfigurer, HandlerInterceptor {

    public static final String PARAMETER = "minPosition";

    private final Projections projections;
    private final Duration maxWait;
    private final MeterRegistry meters;

    public MinPosition(Projections projections, ReadYourWritesSettings settings, MeterRegistry meters) {
        this.projections = projections;
        this.maxWait = settings.maxWait();
        this.meters = meters;
    }

    /** How long a read waits for its position before it answers 503. */
    public Duration maxWait() {
        return maxWait;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String asked = request.getParameter(PARAMETER);
        if (asked == null || !(handler instanceof HandlerMethod method)) {
            return true;
        }
        ReadModel model = method.getMethodAnnotation(ReadModel.class);
        if (model == null) {
            return true;
        }
        long position = parse(asked);
        for (String processingGroup : model.value()) {
            await(processingGroup, position);
        }
        return true;
    }

    /** Returns once the projection of {@code processingGroup} has reached {@code position}. */
    public void await(String processingGroup, long position) {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        long pause = TimeUnit.MICROSECONDS.toNanos(200);
        while (!projections.reached(processingGroup, position)) {
            if (System.nanoTime() > deadline) {
                waited(processingGroup, "timeout", started);
                throw new NotYetVisible(position, processingGroup, maxWait.toMillis());
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(10));
        }
        waited(processingGroup, "reached", started);
    }

    /** How long reads waited for their position, by projection and outcome: what read-your-writes costs. */
    private void waited(String processingGroup, String outcome, long started) {
        Timer.builder("ledger.read_your_writes.wait")
                .description("How long a read with minPosition waited for its read model")
                .tag("projection", processingGroup)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private static long parse(String asked) {
        try {
            long position = Long.parseLong(asked);
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new InvalidRequest(PARAMETER, "must be a whole number of 0 or more (a write's Ledger-Position)");
    }
}
