package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerProcess.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades keep their data: the packaged service of this build starts on an H2 {@code ./data} and on a PostgreSQL
 * database that an earlier version wrote (kept as fixtures, {@code upgrade/h2-<commit>.zip} and
 * {@code upgrade/postgresql-<commit>.sql.gz}: events, snapshots, tokens and read models as that version left them) and
 * goes on. Totals, histories and the audit are what the earlier version recorded, its matches are still
 * known by their ids (an identical retry answers 200, a conflicting one 409), and new writes land on top.
 * <p>
 * The fixtures are written by {@link #main}, which plays {@link #SCENARIO} against the old version's jar
 * ({@code upgrade/README.md}).
 */
class UpgradeFromStoredLedgerIT {

    /** Written by the service at commit 577ad0a (before ADR 0008 to 0010), the last one that landed before them. */
    static final String H2_FIXTURE = "/upgrade/h2-577ad0a.zip";

    static final String PG_FIXTURE = "/upgrade/postgresql-577ad0a.sql.gz";
    static final Duration START = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PLAYERS = List.of("up-ann", "up-bob", "up-cy", "up-dee", "up-eve", "up-fay");
    /** What the old version was told: registrations, 300 matches (so some ledgers have snapshots), a void, an adjustment. */
    static final List<MatchClaim> SCENARIO = scenario();

    static final String VOIDED = "up-m-7";

    @TempDir
    Path dir;

    LedgerProcess ledger;

    @AfterEach
    void stop() throws InterruptedException {
        if (ledger != null) {
            ledger.stop();
        }
    }

    @Test
    void theNewVersionGoesOnWithAnH2LedgerTheOldOneWrote() throws Exception {
        Path data = dir.resolve("data");
        try (InputStream zip = UpgradeFromStoredLedgerIT.class.getResourceAsStream(H2_FIXTURE)) {
            assertThat(zip).as(H2_FIXTURE).isNotNull();
            unzip(zip, data);
        }
        ledger = start(Path.of(System.getProperty("ledger.jar")), h2(data), LedgerProcess.freshLogDir("upgrade-h2"));
        goesOnWithTheOldLedger();
    }

    /**
     * The same on PostgreSQL: the database the old version wrote, restored from its dump into the test's database
     * (wiped first). Needs {@code LEDGER_IT_PG_URL}, as {@code ThreeProcessesOnPostgresIT} does; CI provides it.
     */
    @Test
    void theNewVersionGoesOnWithAPostgreSqlLedgerTheOldOneWrote() throws Exception {
        Postgres postgres = Postgres.fromEnvironment();
        String dump;
        try (InputStream gzipped = UpgradeFromStoredLedgerIT.class.getResourceAsStream(PG_FIXTURE)) {
            assertThat(gzipped).as(PG_FIXTURE).isNotNull();
            dump = new String(new GZIPInputStream(gzipped).readAllBytes(), StandardCharsets.UTF_8);
        }
        postgres.wipe();
        postgres.restore(dump);
        ledger = start(
                Path.of(System.getProperty("ledger.jar")),
                postgres.arguments(),
                LedgerProcess.freshLogDir("upgrade-postgresql"));
        goesOnWithTheOldLedger();
    }

    private void goesOnWithTheOldLedger() throws Exception {
        Map<String, Long> model = expectedTotals();

        awaitProjectionsAtHead(ledger);
        for (String player : PLAYERS) {
            JsonNode standing =
                    JSON.readTree(send("GET", "/api/players/" + player, null).body());
            assertThat(standing.get("points").asLong()).as(player).isEqualTo(model.get(player));
            JsonNode history = JSON.readTree(send("GET", "/api/players/" + player + "/matches?size=10", null)
                    .body());
            long played = SCENARIO.stream()
                    .filter(m -> m.first().equals(player) || m.second().equals(player))
                    .count();
            assertThat(history.get("total").asLong()).as(player + " matches").isEqualTo(played);
        }
        assertThat(JSON.readTree(send("GET", "/api/matches/" + VOIDED, null).body())
                        .get("voided")
                        .asBoolean())
                .isTrue();

        // The old matches are known by their ids: the same claim again is a retry, another claim a conflict.
        MatchClaim old = SCENARIO.get(42);
        assertThat(send("POST", "/api/matches", old.json(), TestAccounts.RECORDER)
                        .status())
                .isEqualTo(200);
        MatchClaim conflicting = new MatchClaim(old.matchId(), old.second(), old.first(), false);
        assertThat(send("POST", "/api/matches", conflicting.json(), TestAccounts.RECORDER)
                        .status())
                .isEqualTo(409);

        // And the ledger goes on: a new match lands on the old totals, through the new write path.
        MatchClaim next = new MatchClaim("up-after-upgrade", "up-ann", "up-bob", false);
        assertThat(send("POST", "/api/matches", next.json(), TestAccounts.RECORDER)
                        .status())
                .isEqualTo(201);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(JSON.readTree(
                                        send("GET", "/api/players/up-ann", null).body())
                                .get("points")
                                .asLong())
                        .isEqualTo(model.get("up-ann") + 3));

        erasesAPlayerRegisteredBeforeTheUpgrade(model);

        JsonNode audit = JSON.readTree(send("GET", "/api/audit/verify", null).body());
        assertThat(audit.get("mismatchCount").asLong()).as("%s", audit).isZero();
        assertThat(audit.get("totalAfterBreakCount").asLong()).as("%s", audit).isZero();
        assertThat(audit.get("playersChecked").asLong()).as("%s", audit).isEqualTo(PLAYERS.size());
    }

    /**
     * The right to erasure on a ledger of the first version (ADR 0019): the upgrade sealed its names in place, so the
     * export holds none in plain text while every read still shows them; a player registered before the upgrade is
     * then erased as a new one is, their totals and history as they were, everyone else's name as it was.
     */
    private void erasesAPlayerRegisteredBeforeTheUpgrade(Map<String, Long> model) throws Exception {
        String erased = "up-cy";
        assertThat(JSON.readTree(send("GET", "/api/players/" + erased, null).body())
                        .get("name")
                        .asText())
                .isEqualTo("Player " + erased);
        String export = send("GET", "/api/audit/events?limit=100000", null, TestAccounts.AUDITOR)
                .body();
        assertThat(export).contains("A256GCM:");
        for (String player : PLAYERS) {
            assertThat(export).as("the export after the upgrade").doesNotContain("Player " + player);
        }

        Reply erasure = send(
                "POST", "/api/players/" + erased + "/erasure", "{\"reason\":\"GDPR art. 17\"}", TestAccounts.ADMIN);
        assertThat(erasure.status()).as("%s", erasure).isEqualTo(201);

        JsonNode player =
                JSON.readTree(send("GET", "/api/players/" + erased, null).body());
        assertThat(player.get("name").asText()).isEqualTo("Erased player");
        assertThat(player.get("points").asLong()).isEqualTo(model.get(erased));
        long played = SCENARIO.stream()
                .filter(m -> m.first().equals(erased) || m.second().equals(erased))
                .count();
        assertThat(JSON.readTree(send("GET", "/api/players/" + erased + "/matches?size=10", null)
                                .body())
                        .get("total")
                        .asLong())
                .isEqualTo(played);
        assertThat(JSON.readTree(send("GET", "/api/players/up-dee", null).body())
                        .get("name")
                        .asText())
                .isEqualTo("Player up-dee");
        String board = send("GET", "/api/leaderboard?limit=100", null).body();
        assertThat(board).contains("Erased player").doesNotContain("Player " + erased);
        assertThat(send("POST", "/api/players/" + erased + "/erasure", "{\"reason\":\"again\"}", TestAccounts.ADMIN)
                        .status())
                .isEqualTo(200);
    }

    /**
     * Writes a fixture: args[0] the old version's jar, args[1] {@code h2} (args[2]: the zip to write) or
     * {@code postgresql} (the database of {@code LEDGER_IT_PG_URL}, wiped, is left as the old version wrote it; dump it
     * as {@code upgrade/README.md} says).
     */
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("upgrade-fixture");
        Path data = work.resolve("data");
        boolean h2 = args[1].equals("h2");
        List<String> arguments =
                h2 ? h2(data) : Postgres.fromEnvironment().wipe().arguments();
        LedgerProcess old = start(Path.of(args[0]), arguments, work);
        try {
            for (String player : PLAYERS) {
                expect(
                        old.send(
                                "PUT",
                                "/api/players/" + player,
                                "{\"name\":\"Player " + player + "\"}",
                                TestAccounts.RECORDER),
                        201);
            }
            expect(
                    old.send(
                            "POST",
                            "/api/players/up-fay/adjustments",
                            "{\"adjustmentId\":\"up-opening\",\"points\":50,\"reason\":\"opening balance\"}",
                            TestAccounts.ADMIN),
                    201);
            for (MatchClaim match : SCENARIO) {
                expect(old.send("POST", "/api/matches", match.json(), TestAccounts.RECORDER), 201);
            }
            expect(
                    old.send(
                            "POST",
                            "/api/matches/" + VOIDED + "/void",
                            "{\"reason\":\"reported by mistake\"}",
                            TestAccounts.ADMIN),
                    201);
            // The projections at the head, so that their tokens and rows are in the fixture.
            awaitProjectionsAtHead(old);
        } finally {
            old.stop();
        }
        if (h2) {
            zip(data, Path.of(args[2]));
            System.out.println("wrote " + args[2] + " from " + args[0]);
        } else {
            System.out.println("the PostgreSQL database holds what " + args[0] + " wrote");
        }
    }

    static List<String> h2(Path data) {
        return List.of("--ledger.data-dir=" + data);
    }

    static LedgerProcess start(Path jar, List<String> database, Path logs) throws Exception {
        List<String> arguments = new ArrayList<>(database);
        arguments.addAll(LedgerProcess.accounts(
                TestAccounts.RECORDER, TestAccounts.READER, TestAccounts.AUDITOR, TestAccounts.ADMIN));
        return new LedgerProcess("upgraded", jar, arguments, logs).start().awaitHealthy(START);
    }

    /** The PostgreSQL database the scale-out test uses too: {@code LEDGER_IT_PG_URL}, {@code _USER}, {@code _PASSWORD}. */
    record Postgres(String url, String user, String password) {

        static Postgres fromEnvironment() {
            String url = System.getenv("LEDGER_IT_PG_URL");
            if ("true".equals(System.getenv("CI"))) {
                assertThat(url)
                        .as("CI must provide LEDGER_IT_PG_URL (see .ci/run)")
                        .isNotBlank();
            }
            assumeThat(url)
                    .as("LEDGER_IT_PG_URL not set: no PostgreSQL to upgrade")
                    .isNotBlank();
            return new Postgres(
                    url,
                    System.getenv().getOrDefault("LEDGER_IT_PG_USER", "ledger"),
                    System.getenv().getOrDefault("LEDGER_IT_PG_PASSWORD", ""));
        }

        List<String> arguments() {
            return List.of(
                    "--spring.profiles.active=postgres",
                    "--spring.datasource.url=" + url,
                    "--spring.datasource.username=" + user,
                    "--spring.datasource.password=" + password);
        }

        Postgres wipe() throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                    Statement sql = connection.createStatement()) {
                sql.execute("drop schema if exists public cascade");
                sql.execute("create schema public");
            }
            return this;
        }

        /** Runs a plain-SQL dump ({@code pg_dump --inserts}); psql's own commands (lines with a backslash) are not SQL. */
        void restore(String dump) throws SQLException {
            String script = dump.lines().filter(line -> !line.startsWith("\\")).collect(Collectors.joining("\n"));
            try (Connection connection = DriverManager.getConnection(url, user, password);
                    Statement sql = connection.createStatement()) {
                sql.execute(script);
            }
        }
    }

    /** A read as an admin: it must answer 200. */
    /** Every projection of the process running and without lag: what it stored is all in its read models. */
    static void awaitProjectionsAtHead(LedgerProcess process) {
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    Reply reply = process.send("GET", "/api/admin/projections", null, TestAccounts.ADMIN);
                    assertThat(reply.status()).as("%s", reply).isEqualTo(200);
                    for (JsonNode projection : JSON.readTree(reply.body())) {
                        assertThat(projection.get("state").asText())
                                .as("%s", projection)
                                .isEqualTo("RUNNING");
                        assertThat(projection.get("lagEvents").asLong())
                                .as("%s", projection)
                                .isZero();
                    }
                });
    }

    Reply send(String method, String path, String body) throws Exception {
        Reply reply = send(method, path, body, TestAccounts.ADMIN);
        assertThat(reply.status()).as("%s %s: %s", method, path, reply).isEqualTo(200);
        return reply;
    }

    Reply send(String method, String path, String body, TestAccounts account) throws Exception {
        Reply reply = ledger.send(method, path, body, account);
        assertThat(reply.status()).as("%s %s: %s", method, path, reply).isLessThan(500);
        return reply;
    }

    static Map<String, Long> expectedTotals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        PLAYERS.forEach(player -> totals.put(player, 0L));
        totals.merge("up-fay", 50L, Long::sum);
        for (MatchClaim match : SCENARIO) {
            if (!match.matchId().equals(VOIDED)) {
                totals.merge(match.first(), (long) match.pointsOf(match.first()), Long::sum);
                totals.merge(match.second(), (long) match.pointsOf(match.second()), Long::sum);
            }
        }
        return totals;
    }

    private static List<MatchClaim> scenario() {
        List<MatchClaim> matches = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String first = PLAYERS.get(i % PLAYERS.size());
            String second = PLAYERS.get((i / PLAYERS.size() + 1 + i) % PLAYERS.size());
            if (first.equals(second)) {
                second = PLAYERS.get((i + 1) % PLAYERS.size());
            }
            matches.add(new MatchClaim("up-m-" + i, first, second, i % 5 == 0));
        }
        return List.copyOf(matches);
    }

    private static void expect(Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply);
        }
    }

    static void unzip(InputStream in, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("entry outside the target: " + entry.getName());
                }
                Files.createDirectories(file.getParent());
                Files.copy(zip, file);
            }
        }
    }

    private static void zip(Path source, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target);
                ZipOutputStream zip = new ZipOutputStream(out);
                Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new ZipEntry(source.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }
}
