package io.matchledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The HTTP client's JVM, against whichever server listens on a port: the service, or baseline (e). */
final class ClientJvm {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientJvm() {}

    /**
     * Runs {@link HttpLoadClient} in a JVM of its own, on this JVM's class path, and reads its one line of JSON. Its
     * progress (standard error) goes straight to ours. A client run with {@code --paced} prints {@code @ready} before
     * each measured load and waits for a line on its standard input, and prints {@code @done} after it:
     * {@code onReady} runs before the client is let go, {@code onDone} when it says the load is over.
     */
    static <T> T run(
            int port,
            String password,
            Class<T> result,
            String mode,
            Runnable onReady,
            Runnable onDone,
            String... options)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                HttpLoadClient.class.getName(),
                mode,
                "--port=" + port));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put(HttpLoadClient.PASSWORD_VARIABLE, password);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader stdout =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                if (line.startsWith(HttpLoadClient.READY)) {
                    if (onReady != null) {
                        onReady.run();
                    }
                    stdin.write("go\n");
                    stdin.flush();
                } else if (line.startsWith(HttpLoadClient.DONE)) {
                    if (onDone != null) {
                        onDone.run();
                    }
                } else {
                    output.append(line).append('\n');
                }
            }
        } catch (RuntimeException failed) {
            process.destroyForcibly();
            throw failed;
        }
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the HTTP client did not finish");
        }
        String text = output.toString().strip();
        String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
        if (process.exitValue() != 0 || !last.startsWith("{")) {
            throw new IllegalStateException("the HTTP client failed (exit " + process.exitValue() + "): " + text);
        }
        return JSON.readValue(last, result);
    }
}
