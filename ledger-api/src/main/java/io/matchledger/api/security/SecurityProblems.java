package io.matchledger.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.problems.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Answers the refusals that happen before Spring MVC sees a request (who is calling, may they, is the body too large)
 * as the same RFC 9457 problems the controllers answer with. The details are fixed texts: they never echo the
 * credentials, the account or the exception.
 */
public class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String REALM = "match-ledger";

    private final ObjectMapper json;

    public SecurityProblems(ObjectMapper json) {
        this.json = json;
    }

    /**
     * No credentials, unknown account or wrong password: the client cannot tell which, by design. A browser whose web
     * login has ended (it sends a session cookie, no Basic credentials) is not challenged for Basic: that would open
     * the browser's password dialog over the dashboard; its page sends it to the login form instead.
     */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (request.getRequestedSessionId() != null
                && !BrowserSecurity.sendsBasic(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            write(request, response, ProblemType.UNAUTHORIZED, "The web login has ended: log in again.");
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        write(
                request,
                response,
                ProblemType.UNAUTHORIZED,
                "Authenticate with HTTP Basic, using an account of the ledger.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (denied instanceof CsrfException) {
            write(
                    request,
                    response,
                    ProblemType.CSRF,
                    "A request made with the session of a web login must carry the CSRF token of its page.");
            return;
        }
        write(
                request,
                response,
                ProblemType.FORBIDDEN,
                "This account has no role that may " + request.getMethod() + " this resource.");
    }

    void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        ProblemDetail problem = type.problem(detail);
        request.setAttribute(ProblemType.ANSWERED, type.type().toString());
        try {
            problem.setInstance(URI.create(request.getRequestURI()));
        } catch (IllegalArgumentException notAUri) {
            // a path that is no URI has no instance to name; the problem is still answered
        }
        response.setStatus(type.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
