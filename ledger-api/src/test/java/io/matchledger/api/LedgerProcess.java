package io.matchledger.api;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * One ledger service as a real operating-system process, started from the packaged jar like in production. For the
 * failsafe {@code *IT} tests, which run after {@code package}; system property {@code ledger.jar} names the jar.
 */
public final class LedgerProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final List<String> arguments;
    private final Path log;
    private final int port;
    private Process process;

    public LedgerProcess(String name, Path jar, List<String> arguments, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.arguments = arguments;
        this.log = logDir.resolve(name + ".log");
        this.port = freePort();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The running process's pid, as Axon's default node id ({@code pid@host}) names it; -1 before the first start. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public LedgerProcess start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-Daxoniq.update-checker.disabled=true",
                "-jar",
                jar.toString(),
                "--server.port=" + port));
        command.addAll(arguments);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    /** Waits until the service answers its health check, or fails with the tail of its log. */
    public LedgerProcess awaitHealthy(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " died at start-up; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("UP")) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not healthy after " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye; whatever was in flight is cut off. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the whole JVM stands still, mid-transaction or not, as a frozen container or a long pause would. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: goes on from where it stood. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public File log() {
        return log.toFile();
    }

    /** The process's peak resident memory so far (VmHWM), in MB; -1 where /proc cannot tell. */
    public long peakRssMb() {
        try {
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // not Linux, or the process has ended
        }
        return -1;
    }

    /** An answer of the service: status, body, and the {@code Retry-After} header of a 503 (null without one). */
    public record Reply(int status, String body, String retryAfter) {

        public Reply(int status, String body) {
            this(status, body, null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /**
     * One request to this process as {@code account} (the accounts of {@link #accounts}), a JSON body or none (null).
     * An IOException means no answer: refused, reset or cut off, so whether it took effect is unknown.
     */
    public Reply send(String method, String path, String body, TestAccounts account)
            throws IOException, InterruptedException {
        return send(method, path, body, account, Duration.ofSeconds(30));
    }

    /** As above, waiting at most {@code timeout} for the answer. */
    public Reply send(String method, String path, String body, TestAccounts account, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("Authorization", basic(account))
                .header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Retry-After").orElse(null));
    }

    /**
     * Arguments that give a process these accounts, with the test profile's passwords (TestAccounts) hashed at BCrypt
     * strength 4. The packaged jar has no test profile, and the embedded default's demo accounts are not for tests.
     */
    public static List<String> accounts(TestAccounts... accounts) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        List<String> args = new ArrayList<>();
        for (int i = 0; i < accounts.length; i++) {
            String prefix = "--ledger.security.accounts[" + i + "].";
            args.add(prefix + "name=" + accounts[i].user());
            args.add(prefix + "password-hash={bcrypt}" + bcrypt.encode(accounts[i].password()));
            args.add(prefix + "roles=" + accounts[i].name());
        }
        return args;
    }

    /**
     * A directory under target/ for the processes' logs (and whatever else a test keeps beside its reports), without
     * the logs of an earlier run: a restarted process appends to its log.
     */
    public static Path freshLogDir(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", name));
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.log")) {
            for (Path log : old) {
                Files.delete(log);
            }
        }
        return dir;
    }

    /**
     * A copy of the packaged jar in {@code dir}, to run: a build that repackages the jar under running processes
     * breaks their class loading.
     */
    public static Path copyOfPackagedJar(Path dir) throws IOException {
        String jar = System.getProperty("ledger.jar");
        if (jar == null) {
            throw new IllegalStateException("system property ledger.jar is not set: run this test with failsafe "
                    + "(./mvnw verify), which sets it to the packaged jar");
        }
        return Files.copy(Path.of(jar), dir.resolve("ledger-api.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String basic(TestAccounts account) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((account.user() + ":" + account.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
