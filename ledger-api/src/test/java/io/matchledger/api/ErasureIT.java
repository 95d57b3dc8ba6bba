package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.matchledger.api.LedgerClient.Reply;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The right to erasure on the packaged service (issue 27, ADR 0019): a player registers, plays across a season that
 * is sealed, declares a match of their own on the web, is renamed, and is erased. Afterwards neither of their names is
 * in any HTTP answer, export line, stream frame or log line written after the erasure, in this process or in one
 * started on a copy of its files (a backup taken after the erasure); their totals, ranks, history and the season's
 * standings are as before, under the neutral label; the verification and the season's proof still recompute from
 * the export alone. Then the copy's files are compacted as the README says, and hold neither name at all.
 */
class ErasureIT {

    static final Duration START = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NAME = "Grace Hopper";
    static final String RENAMED = "Grace Brewster Murray";
    /** The player's web account is named by their id (OwnMatchesController): TestAccounts.PLAYER. */
    static final String GRACE = TestAccounts.PLAYER.user();

    @TempDir
    Path dir;

    final List<LedgerProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (LedgerProcess process : processes) {
            process.stop();
        }
    }

    @Test
    void anErasedPlayerIsInNoAnswerFrameExportOrLogLineAfterwardsAndEverySealStillVerifies() throws Exception {
        Path data = dir.resolve("data");
        Path logs = LedgerProcess.freshLogDir("erasure");
        LedgerProcess ledger = start("erasure", data, logs);
        LedgerClient admin = new LedgerClient(ledger.port());
        LedgerClient reader = TestAccounts.READER.client(ledger.port());
        LedgerClient auditor = TestAccounts.AUDITOR.client(ledger.port());
        assertThat(admin.registerPlayer(GRACE, NAME).status()).isEqualTo(201);
        assertThat(admin.registerPlayer("rival", "Rival").status()).isEqualTo(201);
        assertThat(admin.registerPlayer("third", "Third").status()).isEqualTo(201);

        // A season that ends in a few seconds, with a grace of two: matches in it, one voided, one of Grace's own.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant end = now.plusSeconds(8);
        Reply season = admin.put(
                "/api/seasons/s1",
                "{\"name\":\"Season one\",\"start\":\"" + now.minusSeconds(3600) + "\",\"end\":\"" + end
                        + "\",\"grace\":\"PT2S\"}");
        assertThat(season.status()).as(season.toString()).isEqualTo(201);
        assertThat(admin.win("s1-a", GRACE, "rival").status()).isEqualTo(201);
        assertThat(admin.win("s1-b", "rival", GRACE).status()).isEqualTo(201);
        assertThat(admin.win("s1-c", GRACE, "third").status()).isEqualTo(201);
        assertThat(admin.post("/api/matches/s1-c/void", "{\"reason\":\"bugged map\"}")
                        .status())
                .isEqualTo(201);
        Reply own = TestAccounts.PLAYER
                .client(ledger.port())
                .post("/api/me/matches", "{\"matchId\":\"s1-own\",\"opponentId\":\"third\",\"result\":\"DRAW\"}");
        assertThat(own.status()).as(own.toString()).isEqualTo(201);
        JsonNode sealed = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> reader.get("/api/seasons/s1").json(),
                        s -> s.path("status").asText().equals("sealed"));
        // After the season: all time only. Then the rename.
        assertThat(admin.win("after-a", "third", GRACE).status()).isEqualTo(201);
        assertThat(admin.adjust(GRACE, "grace-bonus", 5, "tournament prize").status())
                .isEqualTo(201);
        assertThat(admin.registerPlayer(GRACE, RENAMED).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> reader.get("/api/players/" + GRACE)
                                .json()
                                .path("name")
                                .asText(),
                        RENAMED::equals);

        // Live: Grace's own view and the leaderboard, watched from before the erasure.
        Frames graceFrames = Frames.watch(ledger.port(), "/api/players/" + GRACE + "/stream");
        Frames boardFrames = Frames.watch(ledger.port(), "/api/leaderboard/stream?limit=10");
        await().atMost(Duration.ofSeconds(30)).until(() -> graceFrames.any(RENAMED) && boardFrames.any(RENAMED));
        Map<String, String> before = reads(reader, auditor);
        long logBefore = Files.size(ledger.log().toPath());

        Reply erased = admin.post("/api/players/" + GRACE + "/erasure", "{\"reason\":\"GDPR art. 17, ticket 42\"}");
        assertThat(erased.status()).as(erased.toString()).isEqualTo(201);
        Instant erasedAt = Instant.now();

        // Every read as before, but for the name.
        Map<String, String> after = reads(reader, auditor);
        for (String read : before.keySet()) {
            assertThat(after.get(read)).as(read).doesNotContain(NAME, RENAMED, "Grace");
            // The store's own reads moved on by the erasure's event; the rest must be as it was, name aside.
            if (!List.of("export", "events of the player", "verify", "proof").contains(read)) {
                assertThat(withoutNames(after.get(read)))
                        .as(read)
                        .isEqualTo(withoutNames(before.get(read).replace(RENAMED, "Erased player")));
            }
        }
        JsonNode player = reader.get("/api/players/" + GRACE).json();
        assertThat(player.get("name").asText()).isEqualTo("Erased player");
        // The seal: as it was sealed, recomputed now and from the export alone.
        JsonNode seal = reader.get("/api/seasons/s1").json().get("seal");
        assertThat(seal).isEqualTo(sealed.get("seal"));
        JsonNode proof = auditor.get("/api/seasons/s1/proof").json();
        assertThat(proof.get("matches").asBoolean()).as(proof.toString()).isTrue();
        String export = auditor.get("/api/audit/events?limit=100000").body();
        assertThat(SealRule.recompute(export, Instant.parse(sealed.get("start").asText()), end, end.plusSeconds(2)))
                .containsExactly(
                        seal.get("eventsSha256").asText(),
                        seal.get("standingsSha256").asText());
        JsonNode verify = auditor.get("/api/audit/verify").json();
        assertThat(verify.get("mismatchCount").asLong()).as(verify.toString()).isZero();
        assertThat(verify.at("/seals/0/ok").asBoolean()).as(verify.toString()).isTrue();
        // The registration and the rename are in the export as they were stored: sealed, not readable.
        assertThat(export.lines()
                        .filter(line -> line.contains("PlayerRegistered") && line.contains("\"" + GRACE + "\"")))
                .singleElement()
                .asString()
                .contains("A256GCM:");

        // Live: a frame with the label reached both streams; no frame after the erasure holds a name; a new stream
        // starts with the label.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> graceFrames.any("Erased player") && boardFrames.any("Erased player"));
        for (Frames frames : List.of(graceFrames, boardFrames)) {
            assertThat(frames.since(erasedAt))
                    .allSatisfy(frame -> assertThat(frame).doesNotContain(NAME, RENAMED));
            frames.close();
        }
        try (EventStreamClient fresh =
                EventStreamClient.open(ledger.port(), "/api/players/" + GRACE + "/stream", TestAccounts.READER)) {
            assertThat(fresh.nextData()).contains("Erased player").doesNotContain(RENAMED);
        }

        // The log: the erasure is recorded by id, and nothing written after it holds a name.
        String written = afterwards(ledger.log().toPath(), logBefore);
        assertThat(written).contains("Erased the personal data of player " + GRACE);
        assertThat(written).doesNotContain(NAME, RENAMED);

        // A backup taken after the erasure, started as a process of its own: the same, from its first answer on.
        ledger.stop();
        Path backup = dir.resolve("backup");
        copy(data, backup);
        LedgerProcess restored = start("restored", backup, logs);
        LedgerClient restoredReader = TestAccounts.READER.client(restored.port());
        LedgerClient restoredAuditor = TestAccounts.AUDITOR.client(restored.port());
        Map<String, String> again = reads(restoredReader, restoredAuditor);
        again.forEach((read, body) -> assertThat(body).as(read).doesNotContain(NAME, RENAMED));
        assertThat(again.get("player")).isEqualTo(after.get("player"));
        assertThat(restoredAuditor
                        .get("/api/audit/verify")
                        .json()
                        .at("/seals/0/ok")
                        .asBoolean())
                .isTrue();
        restored.stop();
        assertThat(Files.readString(restored.log().toPath())).doesNotContain(NAME, RENAMED);

        // The files keep older versions of rows (the standings' name among them) until H2 reuses their space:
        // compacted, as the README tells an operator to do after an erasure, they hold no name at all.
        compact(backup);
        assertThat(bytesOf(backup)).doesNotContain(NAME, RENAMED);
    }

    /** Every read that shows a player, by name of the read. */
    static Map<String, String> reads(LedgerClient reader, LedgerClient auditor) {
        Map<String, String> reads = new LinkedHashMap<>();
        reads.put("player", reader.get("/api/players/" + GRACE).body());
        reads.put(
                "player in s1",
                reader.get("/api/players/" + GRACE + "?season=s1").body());
        reads.put("leaderboard", reader.get("/api/leaderboard").body());
        reads.put("leaderboard of s1", reader.get("/api/leaderboard?season=s1").body());
        reads.put(
                "around",
                reader.get("/api/leaderboard/around/" + GRACE + "?radius=2").body());
        reads.put("explain", reader.get("/api/leaderboard/explain/" + GRACE).body());
        reads.put(
                "explain in s1",
                reader.get("/api/leaderboard/explain/" + GRACE + "?season=s1").body());
        reads.put(
                "rival explained", reader.get("/api/leaderboard/explain/rival").body());
        reads.put("matches", reader.get("/api/players/" + GRACE + "/matches").body());
        reads.put(
                "matches in s1",
                reader.get("/api/players/" + GRACE + "/matches?season=s1").body());
        reads.put("a match", reader.get("/api/matches/s1-own").body());
        reads.put("season", reader.get("/api/seasons/s1").body());
        reads.put("seasons", reader.get("/api/seasons").body());
        reads.put(
                "events of the player",
                auditor.get("/api/players/" + GRACE + "/events").body());
        reads.put("export", auditor.get("/api/audit/events?limit=100000").body());
        reads.put("verify", auditor.get("/api/audit/verify").body());
        reads.put("proof", auditor.get("/api/seasons/s1/proof").body());
        return reads;
    }

    /** The answer without its names (any {@code name} field): what must not change at all. */
    static String withoutNames(String body) {
        try {
            JsonNode tree = JSON.readTree(body);
            strip(tree);
            return tree.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("name");
        }
        node.forEach(ErasureIT::strip);
    }

    private LedgerProcess start(String name, Path data, Path logs) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "--ledger.data-dir=" + data,
                "--ledger.seasons.seal-check=200ms",
                "--ledger.event-store.append-bound=1s"));
        arguments.addAll(LedgerProcess.accounts(
                TestAccounts.RECORDER,
                TestAccounts.READER,
                TestAccounts.AUDITOR,
                TestAccounts.ADMIN,
                TestAccounts.PLAYER));
        LedgerProcess process = new LedgerProcess(
                name, LedgerProcess.copyOfPackagedJar(Files.createDirectories(dir.resolve(name))), arguments, logs);
        processes.add(process);
        return process.start().awaitHealthy(START);
    }

    /** The part of a log written after {@code offset} bytes. */
    static String afterwards(Path log, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            byte[] tail = new byte[(int) (file.length() - offset)];
            file.seek(offset);
            file.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8);
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    /** What the README's "Right to erasure" tells an operator to run on the stopped service's H2 files. */
    static void compact(Path data) throws Exception {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("ledger"), "sa", "");
                Statement sql = h2.createStatement()) {
            sql.execute("SHUTDOWN COMPACT");
        }
    }

    /** Every byte of the files, as ISO-8859-1 text: a name stored as UTF-8 shows as itself. */
    static String bytesOf(Path data) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** A stream's frames as they arrive, each with the moment it did, read on a thread of its own. */
    static final class Frames implements AutoCloseable {

        record Frame(Instant at, String data) {}

        private final EventStreamClient stream;
        private final List<Frame> frames = new CopyOnWriteArrayList<>();

        private Frames(EventStreamClient stream) {
            this.stream = stream;
        }

        static Frames watch(int port, String path) {
            Frames frames = new Frames(EventStreamClient.open(port, path, TestAccounts.READER));
            assertThat(frames.stream.status()).isEqualTo(200);
            Thread reader = new Thread(
                    () -> {
                        try {
                            while (true) {
                                String data = frames.stream.nextData();
                                frames.frames.add(new Frame(Instant.now(), data));
                            }
                        } catch (RuntimeException closed) {
                            // the stream ended, or the test closed it
                        }
                    },
                    "frames " + path);
            reader.setDaemon(true);
            reader.start();
            return frames;
        }

        boolean any(String text) {
            return frames.stream().anyMatch(frame -> frame.data().contains(text));
        }

        List<String> since(Instant instant) {
            return frames.stream()
                    .filter(frame -> frame.at().isAfter(instant))
                    .map(Frame::data)
                    .toList();
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
