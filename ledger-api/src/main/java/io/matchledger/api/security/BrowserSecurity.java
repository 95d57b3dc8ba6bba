package io.matchledger.api.security;

import static org.springframework.http.HttpMethod.GET;

import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.Cookie.SameSite;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.AbstractServletWebServerFactory;
import org.springframework.boot.web.servlet.server.Session;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The dashboard in a browser: form login at {@code /login}, a session cookie, CSRF protection, logout. Only the
 * dashboard's own paths are served here; everything else, the API included, is the API's chain in
 * {@link SecurityConfiguration}, which also accepts the session made here (and then asks for the CSRF token, see
 * {@link #SESSION_WRITES}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class BrowserSecurity {

    /** The pages: they need a login with a role that may read what they show. */
    static final String[] PAGES = {"/", "/players/*"};
    /** What pages load: open, they hold nothing of the ledger. */
    static final String[] ASSETS = {"/css/*", "/js/*", "/favicon.svg"};

    /**
     * The writes that ride on a browser session and so need the page's CSRF token: any method but GET, HEAD, OPTIONS
     * and TRACE, made with a live session and without HTTP Basic. A Basic client's credentials are in a header that
     * another site cannot make a browser send, and a request without a live session is nobody's.
     */
    static final RequestMatcher SESSION_WRITES =
            request -> !Set.of("GET", "HEAD", "OPTIONS", "TRACE").contains(request.getMethod())
                    && !sendsBasic(request.getHeader(HttpHeaders.AUTHORIZATION))
                    && request.isRequestedSessionIdValid();

    /** Scripts, styles and connections from this origin only: a page cannot be made to run or send anything else. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** Before the API's chain, which takes every request this one does not match. */
    @Bean
    @Order(1)
    SecurityFilterChain browser(HttpSecurity http) throws Exception {
        return http.securityMatcher(paths())
                .authorizeHttpRequests(paths -> paths.requestMatchers(GET, ASSETS)
                        .permitAll()
                        .requestMatchers(GET, "/login")
                        .permitAll()
                        .requestMatchers(GET, PAGES)
                        .hasRole(Role.READER.name())
                        // POST /login and /logout are answered by their filters before this point.
                        .anyRequest()
                        .denyAll())
                .formLogin(form ->
                        form.loginPage("/login").defaultSuccessUrl("/", false).failureUrl("/login?error"))
                .logout(logout -> logout.logoutUrl("/logout")
                        .logoutSuccessUrl("/login?logout")
                        .deleteCookies("JSESSIONID"))
                // CSRF stays on as Spring has it: a token per session, required by every POST, login and logout too.
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .build();
    }

    /**
     * The session cookie: never readable by scripts, not sent along with other sites' requests (SameSite=Lax), and
     * never a session id in a URL. Settings of {@code server.servlet.session} win, for example {@code cookie.secure}
     * behind TLS.
     */
    @Bean
    WebServerFactoryCustomizer<AbstractServletWebServerFactory> sessionCookie() {
        return factory -> {
            Session session = factory.getSession();
            if (session.getTrackingModes() == null) {
                session.setTrackingModes(EnumSet.of(Session.SessionTrackingMode.COOKIE));
            }
            if (session.getCookie().getHttpOnly() == null) {
                session.getCookie().setHttpOnly(true);
            }
            if (session.getCookie().getSameSite() == null) {
                session.getCookie().setSameSite(SameSite.LAX);
            }
        };
    }

    static boolean sendsBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    private static String[] paths() {
        String[] paths = new String[PAGES.length + ASSETS.length + 2];
        System.arraycopy(PAGES, 0, paths, 0, PAGES.length);
        System.arraycopy(ASSETS, 0, paths, PAGES.length, ASSETS.length);
        paths[paths.length - 2] = "/login";
        paths[paths.length - 1] = "/logout";
        return paths;
    }
}
