package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.matchledger.api.security.LedgerAccounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** Only the embedded default ships accounts; any other profile brings its own or does not start. */
@ExtendWith(OutputCaptureExtension.class)
class AccountsRequiredTest {

    /** A database that is not there: a start that got as far as needing one would fail with another message. */
    static final String NO_DATABASE = "--spring.datasource.url=jdbc:h2:tcp://127.0.0.1:1/nowhere";

    @Test
    void aProfileWithoutAccountsRefusesToStartBeforeItNeedsADatabase() {
        Throwable failure = catchThrowable(() -> start("production", NO_DATABASE));

        assertThat(messages(failure))
                .anySatisfy(
                        message -> assertThat(message)
                                .startsWith(
                                        "No ledger accounts configured for profile(s) [production]: set ledger.security.accounts"));
    }

    @Test
    void aPlainPasswordWhereAHashBelongsIsRefusedWithoutRepeatingIt(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> start(
                "production",
                NO_DATABASE,
                "--ledger.security.accounts[0].name=ops",
                "--ledger.security.accounts[0].password-hash=hunter2-plain",
                "--ledger.security.accounts[0].roles=ADMIN"));

        assertThat(messages(failure))
                .anySatisfy(message -> assertThat(message).contains("account 'ops'", "is not a password hash"));
        assertThat(messages(failure)).noneSatisfy(message -> assertThat(message).contains("hunter2"));
        assertThat(output).doesNotContain("hunter2");
    }

    @Test
    void aProfileWithConfiguredAccountsStartsWithThoseAndNoDemoAccounts(@TempDir Path dataDir) {
        // The test account "admin", as an operator would configure it through the environment.
        String hash = "{bcrypt}$2a$04$xExiQ4EeS25gORpogObcKes.sscV/ZK.NVpPkBCPG5o2VcxgolMze";
        try (ConfigurableApplicationContext app = start(
                "production",
                "--ledger.data-dir=" + dataDir,
                "--ledger.security.accounts[0].name=ops",
                "--ledger.security.accounts[0].password-hash=" + hash,
                "--ledger.security.accounts[0].roles=ADMIN")) {
            int port = RestartTest.port(app);
            assertThat(app.getBean(LedgerAccounts.class).accounts()).hasSize(1);
            assertThat(new LedgerClient(port, "ops", "admin-test")
                            .registerPlayer("ops-1", "Ops")
                            .status())
                    .isEqualTo(201);
            assertThat(new LedgerClient(port, "admin", "admin-demo")
                            .get("/api/leaderboard")
                            .status())
                    .isEqualTo(401);
        }
    }

    static ConfigurableApplicationContext start(String profile, String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--logging.level.root=warn"));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(LedgerApplication.class)
                .profiles(profile)
                .run(all.toArray(String[]::new));
    }

    static List<String> messages(Throwable failure) {
        assertThat(failure).as("the start failed").isNotNull();
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return messages;
    }
}
