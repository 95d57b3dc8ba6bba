package io.matchledger.bench;

import io.crudledger.CrudLedgerApp;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Baseline (e) as the benchmark runs it: {@link CrudLedgerApp} (a minimal Spring MVC service with the same HTTP
 * Basic, validation and JSON as the ledger's) in this JVM, with (d)'s transaction on the service's database behind it
 * and the benchmark's account, {@link LedgerService#USER}, with the service's password hashed by BCrypt at strength 4.
 */
final class CrudHttpBaseline implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private CrudHttpBaseline(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static CrudHttpBaseline start(Baselines baselines, String password) {
        return new CrudHttpBaseline(CrudLedgerApp.start(
                baselines::crudMatch, LedgerService.USER, "{bcrypt}" + new BCryptPasswordEncoder(4).encode(password)));
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        context.close();
    }
}
