package io.crudledger;

import io.matchledger.core.api.LedgerRules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Baseline (e): what a user would deploy instead of the ledger, over HTTP. {@code POST /api/matches} with the
 * ledger's body, validated as the service validates its {@code RecordMatchRequest} (bean validation on a record, the
 * same patterns), behind HTTP Basic with a BCrypt (strength 4) account whose verified passwords are remembered as the
 * service's are, answered in JSON by Jackson with 201; behind it (d)'s transaction, which the benchmark passes in
 * ({@code Baselines.crudMatch} on the service's own DataSource).
 * <p>
 * A Spring Boot context of its own in the benchmark's JVM, with only the web, MVC, Jackson, validation and security
 * auto-configurations imported: the service's context (Axon, JPA, Flyway, actuator, tracing) is what (e) must not
 * have, and a profile inside the service's context would have needed changes in ledger-api. The service's
 * application.yml is not read ({@code spring.config.name} names none). It lives outside {@code io.matchledger}, which
 * the service's context scans: its controller and configuration must not end up in the service.
 */
public final class CrudLedgerApp {

    /** The service's own patterns: the same regular expressions cost the same. */
    static final String MATCH_ID = LedgerRules.MATCH_ID;

    static final String PLAYER_ID = LedgerRules.PLAYER_ID;

    /** (d)'s transaction for one match; returns the winner's and the loser's totals after it. */
    @FunctionalInterface
    public interface Transaction {
        long[] record(String matchId, String winner, String loser) throws SQLException;
    }

    private CrudLedgerApp() {}

    /**
     * Starts it on a free port of 127.0.0.1, with one account, {@code user}, whose password has the given hash (any
     * encoding Spring's DelegatingPasswordEncoder reads, such as {@code {bcrypt}...}).
     */
    public static ConfigurableApplicationContext start(Transaction transaction, String user, String hash) {
        return new SpringApplicationBuilder(App.class)
                .initializers(started -> {
                    started.getBeanFactory().registerSingleton("crudTransaction", transaction);
                    started.getBeanFactory().registerSingleton("benchAccount", new Account(user, hash));
                })
                .run(
                        // Not the service's application.yml, which is on the same class path.
                        "--spring.config.name=crud-ledger-baseline",
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--spring.main.banner-mode=off",
                        "--spring.mvc.problemdetails.enabled=true",
                        "--logging.level.root=warn");
    }

    record Account(String user, String hash) {}

    /** The body the ledger's {@code POST /api/matches} takes, decisive matches only, validated the same way. */
    record CrudMatchRequest(
            @NotNull @Pattern(regexp = MATCH_ID) String matchId,
            @NotNull @Pattern(regexp = PLAYER_ID) String winner,
            @NotNull @Pattern(regexp = PLAYER_ID) String loser) {}

    /** Each player's total after the match, as the ledger answers. */
    record Share(String playerId, String result, int points, long totalAfter) {}

    record CrudMatchAnswer(String matchId, String outcome, List<Share> players) {}

    @RestController
    static class Matches {

        private final Transaction transaction;

        Matches(Transaction transaction) {
            this.transaction = transaction;
        }

        @PostMapping("/api/matches")
        ResponseEntity<CrudMatchAnswer> record(@Valid @RequestBody CrudMatchRequest match) throws SQLException {
            long[] totals = transaction.record(match.matchId(), match.winner(), match.loser());
            return ResponseEntity.status(HttpStatus.CREATED)
                    .body(new CrudMatchAnswer(
                            match.matchId(),
                            "WIN",
                            List.of(
                                    new Share(match.winner(), "WIN", 3, totals[0]),
                                    new Share(match.loser(), "LOSS", 0, totals[1]))));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({
        PropertyPlaceholderAutoConfiguration.class,
        ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class,
        ErrorMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class,
        JacksonAutoConfiguration.class,
        ValidationAutoConfiguration.class,
        SecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class
    })
    @Import(Matches.class)
    static class App {

        @Bean
        SecurityFilterChain api(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(endpoints -> endpoints
                            .requestMatchers("/api/matches")
                            .hasRole("RECORDER")
                            .anyRequest()
                            .denyAll())
                    .httpBasic(basic -> {})
                    .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .csrf(AbstractHttpConfigurer::disable)
                    .logout(AbstractHttpConfigurer::disable)
                    .requestCache(AbstractHttpConfigurer::disable)
                    .build();
        }

        @Bean
        UserDetailsService users(Account account) {
            return new InMemoryUserDetailsManager(User.withUsername(account.user())
                    .password(account.hash())
                    .roles("RECORDER")
                    .build());
        }

        @Bean
        PasswordEncoder passwords() {
            return new RememberedPasswords(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        }
    }

    /**
     * The service remembers which passwords it verified (its VerifiedPasswords), so that HTTP Basic costs one BCrypt
     * check per client rather than per request; (e) does the same, or the comparison would measure BCrypt.
     */
    static final class RememberedPasswords implements PasswordEncoder {

        private final PasswordEncoder hashes;
        private final Set<String> verified = ConcurrentHashMap.newKeySet();

        RememberedPasswords(PasswordEncoder hashes) {
            this.hashes = hashes;
        }

        @Override
        public String encode(CharSequence raw) {
            return hashes.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            if (raw == null || encoded == null) {
                return false;
            }
            String key = digest(encoded + '\0' + raw);
            if (verified.contains(key)) {
                return true;
            }
            boolean matches = hashes.matches(raw, encoded);
            if (matches) {
                verified.add(key);
            }
            return matches;
        }

        private static String digest(String text) {
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
