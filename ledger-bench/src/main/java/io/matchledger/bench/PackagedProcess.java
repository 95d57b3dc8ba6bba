package io.matchledger.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One ledger service as its own operating-system process, started from the packaged jar as in production (the
 * benchmark's counterpart of ledger-api's test harness {@code LedgerProcess}), with the CPU it has spent read from
 * /proc.
 */
final class PackagedProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String name;
    private final int port;
    private final String authorization;
    private final Path log;
    private final Process process;

    private PackagedProcess(String name, int port, String authorization, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.authorization = authorization;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code jar} with the same heap and collector as ledger-api's process tests, on a free port. */
    static PackagedProcess start(String name, Path jar, List<String> arguments, String password, Path logDir)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-XX:+UseSerialGC",
                "-Daxoniq.update-checker.disabled=true",
                "-jar",
                jar.toString(),
                "--server.port=" + port,
                "--server.address=127.0.0.1"));
        command.addAll(arguments);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        String authorization = "Basic "
                + Base64.getEncoder()
                        .encodeToString((LedgerService.USER + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new PackagedProcess(name, port, authorization, log, process);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** Until the service answers its health check with UP, or fails naming its log. */
    PackagedProcess awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " died at start-up; see " + log);
            }
            try {
                HttpResponse<String> health = HTTP.send(
                        HttpRequest.newBuilder(uri("/actuator/health"))
                                .timeout(Duration.ofSeconds(5))
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

    /** A 503: the service asks to be retried (contention on a player with another process, or overload). */
    static final class Unavailable extends IllegalStateException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** One request as the benchmark's account; fails unless it answers 2xx ({@link Unavailable} for a 503). */
    String send(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String text = response.body();
            String message = method + " " + path + " on " + name + ": " + response.statusCode() + " "
                    + text.substring(0, Math.min(300, text.length()));
            throw response.statusCode() == 503 ? new Unavailable(message) : new IllegalStateException(message);
        }
        return response.body();
    }

    /** utime + stime of the process so far, in clock ticks (/proc/[pid]/stat); -1 where /proc cannot tell. */
    long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
