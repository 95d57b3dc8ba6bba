package io.matchledger.bench;

import io.matchledger.api.LedgerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The ledger service, started in this JVM as its users run it (the same application, its application.yml, its
 * security), on a database of its own: fresh H2 files, or a fresh schema in the PostgreSQL it is given. In-process so
 * that the benchmark can also drive the command gateway, seed the event store and reset processors directly.
 * <p>
 * It runs with profile {@code bench} (and {@code postgres} on PostgreSQL) rather than the embedded default, so that
 * the demo accounts stay off; its one account, {@link #USER}, gets a throwaway password hashed with BCrypt at strength
 * 4 at start-up, like the test profile's accounts: a password check must not be what the HTTP numbers measure.
 */
final class LedgerService implements AutoCloseable {

    static final String USER = "bench";

    private final Database database;
    private final String[] profiles;
    private final List<String> args;
    private final String password;
    private ConfigurableApplicationContext context;
    private final Path dataDir;
    private final String schema;
    private final boolean keepData;
    final double startupSeconds;

    private LedgerService(
            Database database,
            ConfigurableApplicationContext context,
            String[] profiles,
            List<String> args,
            String password,
            Path dataDir,
            String schema,
            boolean keepData,
            double startupSeconds) {
        this.database = database;
        this.context = context;
        this.profiles = profiles;
        this.args = List.copyOf(args);
        this.password = password;
        this.dataDir = dataDir;
        this.schema = schema;
        this.keepData = keepData;
        this.startupSeconds = startupSeconds;
    }

    /** A database to run on: the embedded H2, or a PostgreSQL server whose URL and credentials are given. */
    record Database(String name, String url, String user, String password) {

        static Database h2() {
            return new Database("h2", null, null, null);
        }

        boolean isPostgres() {
            return url != null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static LedgerService start(Database database, Path workDir, String runId, boolean keepData) {
        return start(database, workDir, runId, keepData, List.of());
    }

    /** As above, with {@code extraArgs} after the benchmark's own (a setting a measurement turns on or off). */
    static LedgerService start(
            Database database, Path workDir, String runId, boolean keepData, List<String> extraArgs) {
        long started = System.nanoTime();
        String password = randomPassword();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off",
                "--logging.level.root=warn",
                "--logging.level.io.matchledger=warn",
                // Start-up notices that say nothing about the ledger's speed and would bury the progress lines.
                "--logging.level.org.springframework.core.annotation=error",
                "--logging.level.org.springdoc=error",
                "--ledger.security.accounts[0].name=" + USER,
                "--ledger.security.accounts[0].password-hash={bcrypt}" + new BCryptPasswordEncoder(4).encode(password),
                "--ledger.security.accounts[0].roles=ADMIN",
                // The season turns wait for each season's seal; checked often, it comes soon after the commit grace.
                "--ledger.seasons.seal-check=500ms"));
        args.addAll(extraArgs);
        Path dataDir = null;
        String schema = null;
        String[] profiles;
        if (database.isPostgres()) {
            schema = "ledger_bench_" + runId;
            createSchema(database, schema);
            args.add("--spring.datasource.url=" + database.url()
                    + (database.url().contains("?") ? "&" : "?") + "currentSchema=" + schema);
            args.add("--spring.datasource.username=" + database.user());
            args.add("--spring.datasource.password=" + database.password());
            profiles = new String[] {"bench", "postgres"};
        } else {
            dataDir = workDir.resolve("bench-data-" + runId).toAbsolutePath();
            args.add("--ledger.data-dir=" + dataDir);
            profiles = new String[] {"bench"};
        }
        ConfigurableApplicationContext context;
        try {
            context = run(profiles, args);
        } catch (RuntimeException failed) {
            if (schema != null && !keepData) {
                dropSchema(database, schema);
            }
            throw failed;
        }
        return new LedgerService(
                database,
                context,
                profiles,
                args,
                password,
                dataDir,
                schema,
                keepData,
                (System.nanoTime() - started) / 1e9);
    }

    private static ConfigurableApplicationContext run(String[] profiles, List<String> args) {
        return new SpringApplicationBuilder(LedgerApplication.class)
                .profiles(profiles)
                .run(args.toArray(String[]::new));
    }

    /**
     * Stops the service and starts it again on the same database, as after restoring a store from a backup: nothing
     * of the running service's memory (its cache of recent events, its ledgers) survives.
     */
    void restart() {
        context.close();
        context = run(profiles, args);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    String password() {
        return password;
    }

    String property(String name, String otherwise) {
        return context.getEnvironment().getProperty(name, otherwise);
    }

    @Override
    public void close() {
        context.close();
        if (keepData) {
            return;
        }
        if (schema != null) {
            dropSchema(database, schema);
        }
        if (dataDir != null && Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A schema of its own: the benchmark never touches tables it did not create, whatever the database holds. */
    static void createSchema(Database database, String schema) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "cannot create schema " + schema + " on " + database.url() + ": " + e.getMessage(), e);
        }
    }

    static void dropSchema(Database database, String schema) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema " + schema + " cascade");
        } catch (SQLException e) {
            System.err.println("could not drop schema " + schema + ": " + e.getMessage());
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
