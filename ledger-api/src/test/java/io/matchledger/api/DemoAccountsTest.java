package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.api.security.LedgerAccounts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default, started as the README starts it (no profile): its demo accounts work with the passwords the
 * README prints, the start-up log warns about them by name, and no password or hash appears in the output.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoAccountsTest {

    /** As printed in the README's "Who may do what". */
    static final List<String> DEMO_ACCOUNTS = List.of("recorder", "reader", "auditor", "admin", "lubien", "enemy");

    static String password(String account) {
        return account + "-demo";
    }

    @Test
    void theEmbeddedDefaultWarnsAboutItsDemoAccountsAndNeverLogsASecret(@TempDir Path dataDir, CapturedOutput output) {
        List<String> hashes;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.data-dir=" + dataDir)) {
            int port = RestartTest.port(app);
            hashes = app.getBean(LedgerAccounts.class).accounts().stream()
                    .map(LedgerAccounts.Account::passwordHash)
                    .toList();
            assertThat(app.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");

            LedgerClient recorder = new LedgerClient(port, "recorder", password("recorder"));
            assertThat(recorder.registerPlayer("demo-a", "Demo A").status()).isEqualTo(201);
            assertThat(new LedgerClient(port, "admin", password("admin"))
                            .adjust("demo-a", "demo-open", 5, "opening")
                            .status())
                    .isEqualTo(201);
            for (String reader : List.of("reader", "auditor", "lubien", "enemy")) {
                assertThat(new LedgerClient(port, reader, password(reader))
                                .get("/api/leaderboard")
                                .status())
                        .as(reader)
                        .isEqualTo(200);
            }
            assertThat(new LedgerClient(port, "lubien", password("lubien"))
                            .win("demo-m", "demo-a", "demo-a")
                            .status())
                    .isEqualTo(403);
            assertThat(new LedgerClient(port, "admin", password("reader"))
                            .get("/api/leaderboard")
                            .status())
                    .isEqualTo(401);
        }

        String warning = output.getOut()
                .lines()
                .filter(line -> line.contains("demo accounts"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no warning about the demo accounts"));
        assertThat(warning).contains("WARN");
        DEMO_ACCOUNTS.forEach(account -> assertThat(warning).contains(account));
        assertThat(hashes).hasSameSizeAs(DEMO_ACCOUNTS);
        for (String account : DEMO_ACCOUNTS) {
            assertThat(output).doesNotContain(password(account));
        }
        hashes.forEach(hash -> assertThat(output).doesNotContain(hash.substring("{bcrypt}".length())));
        assertThat(output).doesNotContain("$2a$", "{bcrypt}");
    }
}
