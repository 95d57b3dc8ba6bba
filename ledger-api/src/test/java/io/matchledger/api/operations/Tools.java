package io.matchledger.api.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} package on this machine ({@code prometheus}, {@code promtool}): a test that needs it is
 * skipped with a note where it is not installed, except in CI, which installs it ({@code .ci/run}) and where its
 * absence fails the test.
 */
final class Tools {

    private Tools() {}

    static Path required(String tool) {
        Optional<Path> found = Arrays.stream(
                        System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            String note = tool + " is not installed (apt-get install prometheus)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(note + "; CI installs it in .ci/run");
            }
            Assumptions.abort(note + ": skipped here");
        }
        return found.get();
    }

    /** Runs the tool in {@code dir}; fails with its output unless it exits 0. */
    static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
        return output;
    }
}
