package io.matchledger.api.dashboard;

import io.matchledger.api.problems.NotFound;
import io.matchledger.core.api.LedgerRules;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * The dashboard's pages: plain HTML from {@code templates/}, into which only who is logged in and the session's CSRF
 * token are filled (HTML-escaped); everything the pages show comes from the API, live, through their scripts.
 */
@Hidden // pages, not API: the OpenAPI document describes /api
@Controller
public class DashboardPages {

    private static final Pattern PLAYER_ID = Pattern.compile(LedgerRules.PLAYER_ID);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\w+}}");

    private final Map<String, String> templates = new HashMap<>();

    public DashboardPages() {
        for (String name : new String[] {"nav", "leaderboard", "player", "login"}) {
            templates.put(name, load(name));
        }
    }

    @GetMapping("/")
    public ResponseEntity<String> leaderboard(Authentication account, CsrfToken csrf) {
        return html(page("leaderboard", account, csrf, Map.of()));
    }

    @GetMapping("/players/{playerId}")
    public ResponseEntity<String> player(@PathVariable String playerId, Authentication account, CsrfToken csrf) {
        if (!PLAYER_ID.matcher(playerId).matches()) {
            throw new NotFound("player " + playerId);
        }
        return html(page("player", account, csrf, Map.of("playerId", playerId)));
    }

    @GetMapping("/login")
    public ResponseEntity<String> login(
            Authentication account,
            CsrfToken csrf,
            @RequestParam(required = false) String error,
            @RequestParam(required = false) String logout) {
        if (account != null && account.isAuthenticated() && !(account instanceof AnonymousAuthenticationToken)) {
            return ResponseEntity.status(302).location(URI.create("/")).build();
        }
        String notice = error != null
                ? "That account and password do not match. Try again."
                : logout != null ? "You have logged out." : "";
        return html(render(
                "login",
                Map.of(
                        "csrfParameter",
                        csrf.getParameterName(),
                        "csrfToken",
                        csrf.getToken(),
                        "notice",
                        notice,
                        "noticeRole",
                        error != null ? "alert" : "status",
                        "noticeHidden",
                        notice.isEmpty() ? "hidden" : "")));
    }

    /** A page with the navigation bar of the logged-in account; {@code me} is their playerId if they are a player. */
    private String page(String name, Authentication account, CsrfToken csrf, Map<String, String> values) {
        boolean player = account.getAuthorities().stream()
                .anyMatch(authority -> authority.getAuthority().equals("ROLE_PLAYER"));
        Map<String, String> common = new HashMap<>(values);
        common.put("account", account.getName());
        common.put("me", player ? account.getName() : "");
        common.put("csrfHeader", csrf.getHeaderName());
        common.put("csrfParameter", csrf.getParameterName());
        common.put("csrfToken", csrf.getToken());
        String nav = render("nav", common);
        return render(name, common).replace("{{nav}}", nav);
    }

    private String render(String name, Map<String, String> values) {
        String html = templates.get(name);
        for (Map.Entry<String, String> value : values.entrySet()) {
            html = html.replace("{{" + value.getKey() + "}}", HtmlUtils.htmlEscape(value.getValue()));
        }
        if (!name.equals("nav")
                && PLACEHOLDER.matcher(html.replace("{{nav}}", "")).find()) {
            throw new IllegalStateException("template " + name + " has a placeholder nobody filled");
        }
        return html;
    }

    private static ResponseEntity<String> html(String page) {
        return ResponseEntity.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .body(page);
    }

    private static String load(String name) {
        try {
            return new ClassPathResource("templates/" + name + ".html").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the dashboard's template " + name + " is missing", e);
        }
    }
}
