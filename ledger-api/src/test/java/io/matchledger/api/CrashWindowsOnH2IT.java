package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerProcess.Reply;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No crash window on the embedded default (issue 24): the packaged service starts by itself after a kill -9 inside a
 * rebuild's swap or inside a migration, and serves a correct model. The stored ledger is the one
 * {@link UpgradeFromStoredLedgerIT} upgrades (an earlier version's H2 store: 6 players, 300 matches, a void, an
 * adjustment), whose totals and histories are known.
 * <p>
 * A swap's steps and a migration's statements take milliseconds, too short to hit by timing a kill of the service. A
 * process of their own ({@link CutOff}) runs the service's code for them up to a step against the store and is killed
 * there with SIGKILL; every step is covered the same way, in one process, by {@code InterruptedSwapTest} and {@code
 * MigrationCutOffTest} (ledger-projections). Where the timing can be hit, the service itself is killed: while it
 * migrates a fresh store.
 */
class CrashWindowsOnH2IT {

    static final Duration START = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Path logs;
    LedgerProcess ledger;
    Process cutOff;

    @BeforeAll
    static void logs() throws Exception {
        logs = LedgerProcess.freshLogDir("crash-windows");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (cutOff != null) {
            cutOff.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (ledger != null) {
            ledger.stop();
        }
    }

    /**
     * The matches' swap killed after its decision committed, with the first two of its four tables installed: at the
     * start the rebuilt model is finished into place (the live model before it lacks a match, which must be there).
     * Then the projection is rebuilt again: its twins are back, and empty.
     */
    @Test
    void aSwapKilledAfterItsDecisionIsFinishedByTheNextStart() throws Exception {
        Path store = storedLedger("swap-decided");
        cutOff("swap-decided", "swap", store.toString(), "matches", "12", "live");

        ledger = start("swap-decided", store);

        theStoredLedgerIsServed();
        assertThat(ledger.send("GET", "/api/matches/up-m-42", null, TestAccounts.ADMIN)
                        .status())
                .as("a match of the rebuilt model (the model before lacked it)")
                .isEqualTo(200);
        Reply rebuild = ledger.send("POST", "/api/admin/projections/matches/rebuild", "", TestAccounts.ADMIN);
        assertThat(rebuild.status()).as("%s", rebuild).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !projection("matches").get("rebuilding").asBoolean());
        theStoredLedgerIsServed();
    }

    /**
     * The standings' swap killed right after its decision's writes, before they committed (with the first rename
     * after them): the start undoes the swap, and the live model stays (the rebuilt one had a total 1,000 too high).
     */
    @Test
    void aSwapKilledBeforeItsDecisionCommittedIsUndoneByTheNextStart() throws Exception {
        Path store = storedLedger("swap-undecided");
        cutOff("swap-undecided", "swap", store.toString(), "standings", "4", "rebuilt");

        ledger = start("swap-undecided", store);

        theStoredLedgerIsServed();
    }

    /**
     * The upgrade from the earlier version's store killed inside V6, after it dropped a key and before it made the new
     * one: the shipped V6 then failed at every start. The start finishes it.
     */
    @Test
    void anUpgradeKilledInsideAMigrationIsFinishedByTheNextStart() throws Exception {
        Path store = storedLedger("migration");
        cutOff("migration", "migration", store.toString(), "6", "1");

        ledger = start("migration", store);

        theStoredLedgerIsServed();
    }

    /**
     * The service itself, killed with SIGKILL as it migrates a fresh store (when it logs that it begins V5: the kill
     * lands in V5 or a little after), starts again and records and serves matches.
     */
    @Test
    void theServiceKilledWhileItMigratesAFreshStoreStartsAgain() throws Exception {
        Path store = Files.createDirectories(dir.resolve("fresh"));
        ledger = new LedgerProcess("fresh", jar(), arguments(store), logs).start();
        await().atMost(START)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> Files.readString(ledger.log().toPath()).contains("to version \"5 - seasons\""));
        ledger.kill();
        // The store is first opened again by the service itself, as after a real crash; its log says how far it got.
        System.out.println("crash windows: the service killed while migrating a fresh store; its last words: "
                + Files.readAllLines(ledger.log().toPath()).stream()
                        .filter(line -> line.contains("o.f.core"))
                        .reduce((first, last) -> last)
                        .map(line -> line.substring(line.indexOf("o.f.core")))
                        .orElse("(none)"));

        ledger.start().awaitHealthy(START);

        assertThat(ledger.send("PUT", "/api/players/ann", "{\"name\":\"Ann\"}", TestAccounts.RECORDER)
                        .status())
                .isEqualTo(201);
        assertThat(ledger.send("PUT", "/api/players/bob", "{\"name\":\"Bob\"}", TestAccounts.RECORDER)
                        .status())
                .isEqualTo(201);
        MatchClaim match = new MatchClaim("fresh-1", "ann", "bob", false);
        assertThat(ledger.send("POST", "/api/matches", match.json(), TestAccounts.RECORDER)
                        .status())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(ledger.send("GET", "/api/players/ann", null, TestAccounts.ADMIN)
                                        .body())
                                .get("points")
                                .asLong()
                        == match.pointsOf("ann"));
    }

    /** The earlier version's store, in a directory of its own. */
    private Path storedLedger(String name) throws Exception {
        Path store = dir.resolve(name);
        try (InputStream zip = getClass().getResourceAsStream(UpgradeFromStoredLedgerIT.H2_FIXTURE)) {
            assertThat(zip).as(UpgradeFromStoredLedgerIT.H2_FIXTURE).isNotNull();
            UpgradeFromStoredLedgerIT.unzip(zip, store);
        }
        return store;
    }

    /** Runs {@link CutOff} until it has made its steps, then kills it with SIGKILL. */
    private void cutOff(String name, String... args) throws Exception {
        Path log = logs.resolve(name + "-cut-off.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CutOff.class.getName()));
        command.addAll(List.of(args));
        cutOff = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(START).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(cutOff.isAlive())
                    .as("the cut-off process died; see %s", log)
                    .isTrue();
            return Files.readString(log).contains(CutOff.DONE);
        });
        cutOff.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        System.out.println("crash windows: " + name + ", killed (SIGKILL) "
                + Files.readAllLines(log).stream()
                        .filter(line -> line.startsWith(CutOff.DONE))
                        .findFirst()
                        .orElseThrow());
    }

    private LedgerProcess start(String name, Path store) throws Exception {
        long started = System.nanoTime();
        LedgerProcess process = new LedgerProcess(name, jar(), arguments(store), logs).start();
        process.awaitHealthy(START);
        System.out.printf(
                "crash windows: %s, the next start was healthy after %.1f s%n",
                name, (System.nanoTime() - started) / 1e9);
        return process;
    }

    private static List<String> arguments(Path store) {
        List<String> arguments = new ArrayList<>(List.of("--ledger.data-dir=" + store));
        arguments.addAll(LedgerProcess.accounts(
                TestAccounts.RECORDER, TestAccounts.READER, TestAccounts.AUDITOR, TestAccounts.ADMIN));
        return arguments;
    }

    private static Path jar() {
        return Path.of(System.getProperty("ledger.jar"));
    }

    /**
     * Every projection caught up; each player's total and number of matches as the stored ledger has them, the void
     * in place, and the audit finding nothing.
     */
    private void theStoredLedgerIsServed() throws Exception {
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (JsonNode projection : JSON.readTree(admin("/api/admin/projections"))) {
                        assertThat(projection.get("state").asText())
                                .as("%s", projection)
                                .isEqualTo("RUNNING");
                        assertThat(projection.get("lagEvents").asLong())
                                .as("%s", projection)
                                .isZero();
                    }
                });
        Map<String, Long> totals = UpgradeFromStoredLedgerIT.expectedTotals();
        for (String player : UpgradeFromStoredLedgerIT.PLAYERS) {
            assertThat(JSON.readTree(admin("/api/players/" + player))
                            .get("points")
                            .asLong())
                    .as(player)
                    .isEqualTo(totals.get(player));
            long played = UpgradeFromStoredLedgerIT.SCENARIO.stream()
                    .filter(m -> m.first().equals(player) || m.second().equals(player))
                    .count();
            assertThat(JSON.readTree(admin("/api/players/" + player + "/matches?size=10"))
                            .get("total")
                            .asLong())
                    .as(player + " matches")
                    .isEqualTo(played);
        }
        assertThat(JSON.readTree(admin("/api/matches/" + UpgradeFromStoredLedgerIT.VOIDED))
                        .get("voided")
                        .asBoolean())
                .isTrue();
        JsonNode audit = JSON.readTree(admin("/api/audit/verify"));
        assertThat(audit.get("mismatchCount").asLong()).as("%s", audit).isZero();
        assertThat(audit.get("totalAfterBreakCount").asLong()).as("%s", audit).isZero();
        assertThat(audit.get("playersChecked").asLong())
                .as("%s", audit)
                .isEqualTo(UpgradeFromStoredLedgerIT.PLAYERS.size());
    }

    private JsonNode projection(String name) throws Exception {
        for (JsonNode projection : JSON.readTree(admin("/api/admin/projections"))) {
            if (projection.get("name").asText().equals(name)) {
                return projection;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private String admin(String path) throws Exception {
        Reply reply = ledger.send("GET", path, null, TestAccounts.ADMIN);
        assertThat(reply.status()).as("GET %s: %s", path, reply).isEqualTo(200);
        return reply.body();
    }
}
