package io.matchledger.api.security;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what (the contract's section of that name): HTTP Basic against the configured {@link LedgerAccounts},
 * every endpoint of the contract mapped to the least role that may call it, and everything else denied, so that an
 * endpoint added later is refused until it is given a role here. Only where there is HTTP: a context without a web
 * server has no callers to authenticate.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({LedgerAccounts.class, HttpSettings.class})
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * The API's chain, and everything no other chain matches. HTTP Basic is stateless: credentials come with every
     * request and this chain never creates a session, so a Basic client has no cookie for CSRF to ride on. The
     * dashboard's scripts call the same API with the session of their web login ({@link BrowserSecurity}): such a
     * session is accepted here, and its writes need the page's CSRF token ({@link BrowserSecurity#SESSION_WRITES}).
     */
    @Bean
    SecurityFilterChain api(HttpSecurity http, SecurityProblems problems) throws Exception {
        return http.authorizeHttpRequests(endpoints -> endpoints
                        // The original request was authorized; its error page, or the dispatch that completes its
                        // stream, must not be refused on top of that.
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(GET, "/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers(GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers(PUT, "/api/players/*")
                        .hasRole(Role.RECORDER.name())
                        .requestMatchers(POST, "/api/matches", "/api/matches/batch")
                        .hasRole(Role.RECORDER.name())
                        .requestMatchers(POST, "/api/me/matches")
                        .hasRole(Role.PLAYER.name())
                        .requestMatchers(POST, "/api/matches/*/void")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(POST, "/api/players/*/adjustments", "/api/players/*/erasure")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(PUT, "/api/seasons/*", "/api/season-schedules/*")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(POST, "/api/seasons/*/end")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(GET, "/api/players/*/events", "/api/audit/**", "/api/seasons/*/proof")
                        .hasRole(Role.AUDITOR.name())
                        .requestMatchers(
                                GET,
                                "/api/players/**",
                                "/api/matches/*",
                                "/api/leaderboard",
                                "/api/leaderboard/**",
                                "/api/seasons",
                                "/api/seasons/*")
                        .hasRole(Role.READER.name())
                        .requestMatchers("/api/admin/**", "/actuator/prometheus", "/api/webhooks", "/api/webhooks/**")
                        .hasRole(Role.ADMIN.name())
                        .anyRequest()
                        .denyAll())
                // Presented credentials are checked even where none are needed: a wrong password is a 401 everywhere.
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(
                        refusals -> refusals.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(BrowserSecurity.SESSION_WRITES))
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .build();
    }

    /** An account lists its highest role only; the roles below it follow from here. */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name())
                .implies(Role.AUDITOR.name(), Role.RECORDER.name())
                .role(Role.AUDITOR.name())
                .implies(Role.READER.name())
                .build();
    }

    /**
     * Checks the accounts before any other bean is created: a profile without accounts must fail with this message,
     * not with whatever its database says first.
     */
    @Bean
    static BeanFactoryPostProcessor accountsRequired(Environment environment) {
        return beanFactory -> LedgerAccounts.bind(environment).requireUsable(environment);
    }

    /**
     * Looks up a fresh copy of the account on every call: Spring Security erases the password of the user it was
     * given once the request is authenticated. Not a UserDetailsPasswordService either, so that nothing rewrites the
     * configured hashes behind the operator's back.
     */
    @Bean
    UserDetailsService ledgerAccounts(LedgerAccounts configured, Environment environment) {
        Map<String, LedgerAccounts.Account> byName = configured.accounts().stream()
                .collect(Collectors.toUnmodifiableMap(LedgerAccounts.Account::name, Function.identity()));
        if (environment.matchesProfiles("default")) {
            log.warn(
                    "Embedded default: demo accounts {} are active, with the passwords printed in the README. Anyone "
                            + "who reaches this port may use them. Run with a profile and ledger.security.accounts "
                            + "for anything but a demo.",
                    byName.keySet().stream().sorted().toList());
        }
        return name -> {
            LedgerAccounts.Account account = byName.get(name);
            if (account == null) {
                throw new UsernameNotFoundException("unknown account");
            }
            return User.withUsername(account.name())
                    .password(account.passwordHash())
                    .roles(account.roles().stream().map(Role::name).toArray(String[]::new))
                    .build();
        };
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new VerifiedPasswords(
                PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                Duration.ofMinutes(5),
                10_000,
                Clock.systemUTC());
    }

    @Bean
    SecurityProblems securityProblems(ObjectMapper json) {
        return new SecurityProblems(json);
    }

    /** Before everything else, so that every answer, refusals included, carries the request id. */
    @Bean
    FilterRegistrationBean<RequestIdentity> requestIdentity() {
        FilterRegistrationBean<RequestIdentity> registration = new FilterRegistrationBean<>(new RequestIdentity());
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 20);
        return registration;
    }

    /** Before authentication: an oversized body is refused without spending a password check on it. */
    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit(HttpSettings settings, SecurityProblems problems) {
        FilterRegistrationBean<BodySizeLimit> registration =
                new FilterRegistrationBean<>(new BodySizeLimit(settings.maxBodyBytes(), problems));
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 10);
        return registration;
    }
}
