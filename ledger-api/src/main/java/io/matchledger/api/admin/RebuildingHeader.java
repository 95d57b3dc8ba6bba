package io.matchledger.api.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Reads from the read models say when a projection is being rebuilt ({@code Ledger-Rebuilding: standings}): the
 * answer is then true for the events replayed so far but may lack players, matches and points that come later, and a
 * dashboard should say so rather than show it as the final word.
 */
@Configuration(proxyBeanMethods = false)
public class RebuildingHeader implements WebMvcConfigurer, HandlerInterceptor {

    public static final String NAME = "Ledger-Rebuilding";

    private final ObjectProvider<Projections> projections;

    public RebuildingHeader(ObjectProvider<Projections> projections) {
        this.projections = projections;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this)
                .addPathPatterns("/api/players/**", "/api/leaderboard", "/api/leaderboard/**", "/api/matches/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if ("GET".equals(request.getMethod())) {
            List<String> replaying = projections.getObject().replaying();
            if (!replaying.isEmpty()) {
                response.setHeader(NAME, String.join(",", replaying));
            }
        }
        return true;
    }
}
