package io.matchledger.api.scaleout;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One ledger service as a real operating-system process, started from the packaged jar like in production. */
final class LedgerProcess {

    private final String name;
    private final Path jar;
    private final List<String> arguments;
    private final Path log;
    private final int port;
    private Process process;

    LedgerProcess(String name, Path jar, List<String> arguments, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.arguments = arguments;
        this.log = logDir.resolve(name + ".log");
        this.port = freePort();
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    LedgerProcess start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:+UseSerialGC", "-Daxoniq.update-checker.disabled=true",
                "-jar", jar.toString(), "--server.port=" + port));
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                                             .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                                             .start();
        return this;
    }

    /** Waits until the service answers its health check, or fails with the tail of its log. */
    LedgerProcess awaitHealthy(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " died at start-up; see " + log);
            }
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                   .timeout(Duration.ofSeconds(2)).build(),
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
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    File log() {
        return log.toFile();
    }

    /** The process's peak resident memory so far (VmHWM), in MB; -1 where /proc cannot tell. */
    long peakRssMb() {
        try {
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            for (String line : java.nio.file.Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // not Linux, or the process has ended
        }
        return -1;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
