package io.matchledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.LedgerProcess.Reply;
import io.matchledger.core.api.PlayerErased;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service on H2 killed with SIGKILL while six clients erase players (ADR 0019): an erasure is the
 * {@code PlayerErased} event and the deletion of the player's key, and afterwards each player has both or neither,
 * read from the database files themselves. Every erasure that was answered is there; one whose answer never came
 * either happened whole or not at all, and sending it again completes it (200 when it had happened, 201 when not).
 * The restarted process's log never holds a name.
 */
class KilledMidErasureOnH2IT {

    static final int PLAYERS = 60;
    static final int CLIENTS = 6;
    /** Answered erasures after which the process is killed: the rest are in flight or not yet sent. */
    static final int KILL_AFTER = 15;

    static final Duration START = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    LedgerProcess ledger;

    @AfterEach
    void stop() throws InterruptedException {
        if (ledger != null) {
            ledger.stop();
        }
    }

    static String name(int player) {
        return "Person Number " + player + " Zq";
    }

    @Test
    void anErasureCutOffByAKillHappenedWholeOrNotAtAllAndASecondRequestCompletesIt() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data")).toAbsolutePath();
        Path logs = LedgerProcess.freshLogDir("killed-mid-erasure");
        List<String> arguments = new ArrayList<>(List.of("--ledger.data-dir=" + data));
        arguments.addAll(LedgerProcess.accounts(TestAccounts.ADMIN, TestAccounts.RECORDER, TestAccounts.READER));
        ledger = new LedgerProcess("erasing", LedgerProcess.copyOfPackagedJar(dir), arguments, logs);
        ledger.start().awaitHealthy(START);
        for (int i = 0; i < PLAYERS; i++) {
            Reply registered =
                    ledger.send("PUT", "/api/players/k" + i, "{\"name\":\"" + name(i) + "\"}", TestAccounts.RECORDER);
            assertThat(registered.status()).as("%s", registered).isEqualTo(201);
        }

        // Six clients erase their share of the players, one after another; the process is killed mid-way.
        AtomicReferenceArray<Reply> answers = new AtomicReferenceArray<>(PLAYERS);
        AtomicReferenceArray<Boolean> sent = new AtomicReferenceArray<>(PLAYERS);
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(threads.submit(() -> {
                for (int i = client; i < PLAYERS && !killed.get(); i += CLIENTS) {
                    sent.set(i, true);
                    try {
                        answers.set(i, erase(i));
                        answered.incrementAndGet();
                    } catch (ConnectException nothingReachedIt) {
                        sent.set(i, false);
                        return null;
                    } catch (IOException cutOff) {
                        return null;
                    }
                }
                return null;
            }));
        }
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(2))
                .until(() -> answered.get() >= KILL_AFTER || clients.stream().allMatch(Future::isDone));
        killed.set(true);
        ledger.kill();
        for (Future<?> client : clients) {
            client.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();

        Set<Integer> acknowledged = new HashSet<>();
        Set<Integer> inFlight = new HashSet<>();
        for (int i = 0; i < PLAYERS; i++) {
            Reply answer = answers.get(i);
            if (answer != null) {
                assertThat(answer.status()).as("erasure of k%d: %s", i, answer).isEqualTo(201);
                acknowledged.add(i);
            } else if (Boolean.TRUE.equals(sent.get(i))) {
                inFlight.add(i);
            }
        }
        assertThat(acknowledged).as("answered before the kill").hasSizeGreaterThanOrEqualTo(KILL_AFTER);
        assertThat(inFlight)
                .as("erasures cut off by the kill (was it mid-way?)")
                .isNotEmpty();

        // The files as the kill left them: each player has the event and no key, or the key and no event.
        Store afterKill = Store.read(data);
        for (int i = 0; i < PLAYERS; i++) {
            String player = "k" + i;
            assertThat(afterKill.erased.contains(player))
                    .as(
                            "%s: PlayerErased stored %s, key kept %s",
                            player, afterKill.erased.contains(player), afterKill.keys.contains(player))
                    .isNotEqualTo(afterKill.keys.contains(player));
            if (acknowledged.contains(i)) {
                assertThat(afterKill.erased)
                        .as("an answered erasure is durable")
                        .contains(player);
            }
        }
        int inFlightThere = (int) inFlight.stream()
                .filter(i -> afterKill.erased.contains("k" + i))
                .count();

        // Started again: every erasure sent again, answered 200 where it had happened, 201 where it had not.
        ledger.start().awaitHealthy(START);
        for (int i = 0; i < PLAYERS; i++) {
            Reply again = erase(i);
            assertThat(again.status())
                    .as("erasure of k%d again: %s", i, again)
                    .isEqualTo(afterKill.erased.contains("k" + i) ? 200 : 201);
        }
        for (int i = 0; i < PLAYERS; i++) {
            int player = i;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Reply read = ledger.send("GET", "/api/players/k" + player, null, TestAccounts.READER);
                assertThat(read.status()).isEqualTo(200);
                assertThat(JSON.readTree(read.body()).get("name").asText()).isEqualTo("Erased player");
            });
        }
        ledger.stop();
        Store afterAll = Store.read(data);
        assertThat(afterAll.keys).as("keys left").isEmpty();
        assertThat(afterAll.erased).hasSize(PLAYERS);
        assertThat(afterAll.erasures).as("one PlayerErased per player").isEqualTo(PLAYERS);
        String log = Files.readString(ledger.log().toPath());
        for (int i = 0; i < PLAYERS; i++) {
            assertThat(log).doesNotContain(name(i));
        }
        System.out.printf(
                "killed mid-erasure: %d answered before the kill, %d in flight (%d of them whole after it, the rest "
                        + "not at all), %d not sent; all completed by a second request%n",
                acknowledged.size(), inFlight.size(), inFlightThere, PLAYERS - acknowledged.size() - inFlight.size());
    }

    Reply erase(int player) throws IOException, InterruptedException {
        return ledger.send(
                "POST",
                "/api/players/k" + player + "/erasure",
                "{\"reason\":\"request " + player + "\"}",
                TestAccounts.ADMIN);
    }

    /** What the H2 files hold, read with the process gone: whose erasure is stored, whose key is kept. */
    record Store(Set<String> erased, int erasures, Set<String> keys) {

        static Store read(Path data) throws SQLException {
            Set<String> erased = new HashSet<>();
            Set<String> keys = new HashSet<>();
            int erasures = 0;
            try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("ledger"), "sa", "");
                    Statement sql = h2.createStatement()) {
                try (ResultSet rows = sql.executeQuery("select aggregate_identifier from domain_event_entry "
                        + "where payload_type = '" + PlayerErased.class.getName() + "'")) {
                    while (rows.next()) {
                        erased.add(rows.getString(1));
                        erasures++;
                    }
                }
                try (ResultSet rows = sql.executeQuery("select player_id from player_key")) {
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                    }
                }
            }
            return new Store(erased, erasures, keys);
        }
    }
}
