package io.matchledger.api.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.api.security.LedgerAccounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * Docker images cannot be pulled here, so the compose stack is checked against what the service reads: the replicas'
 * environment is bound exactly as Spring Boot would bind it, on top of the axonserver profile.
 */
class DockerComposeTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern REQUIRED = Pattern.compile("\\$\\{(\\w+):\\?[^}]*}");

    final Map<String, Object> compose = load();

    @Test
    void startsAxonServerPostgresAndTwoReplicasOnPinnedImagesWithHealthChecks() {
        assertThat(services()).containsKeys("axonserver", "postgres", "ledger-1", "ledger-2");
        services().forEach((name, service) -> {
            String image = (String) section(name).get("image");
            assertThat(image).as(name + " image").isNotBlank().contains(":").doesNotEndWith(":latest");
            assertThat(image.substring(image.lastIndexOf(':') + 1))
                    .as(name + " tag")
                    .containsPattern("\\d");
            assertThat(section(name)).as(name + " healthcheck").containsKey("healthcheck");
        });
        for (String replica : List.of("ledger-1", "ledger-2")) {
            Map<String, Object> dependsOn = map(section(replica).get("depends_on"));
            for (String dependency : List.of("axonserver", "postgres")) {
                assertThat(map(dependsOn.get(dependency)))
                        .as(replica + " waits for " + dependency)
                        .containsEntry("condition", "service_healthy");
            }
        }
        assertThat(String.valueOf(section("ledger-1").get("build"))).isEqualTo(".");
    }

    @Test
    void replicasBindToTheAxonServerProfileAndReachTheOtherServices() throws Exception {
        for (String replica : List.of("ledger-1", "ledger-2")) {
            StandardEnvironment spring = springEnvironmentOf(replica);

            assertThat(spring.getProperty("spring.profiles.active")).isEqualTo("axonserver");
            assertThat(spring.getProperty("axon.axonserver.enabled")).isEqualTo("true");
            String axonServer = spring.getProperty("axon.axonserver.servers");
            assertThat(axonServer).isEqualTo("axonserver:" + publishedContainerPort("axonserver", 8124));

            Map<String, Object> postgres = map(section("postgres").get("environment"));
            assertThat(spring.getProperty("spring.datasource.url"))
                    .isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
            assertThat(spring.getProperty("spring.datasource.username")).isEqualTo(postgres.get("POSTGRES_USER"));
            assertThat(spring.getProperty("spring.datasource.password")).isEqualTo("db-secret");
            assertThat(spring.getProperty("ledger.shared-store")).isEqualTo("true");
            assertThat(spring.getProperty("server.address")).isEqualTo("0.0.0.0");

            // The accounts bind as the service binds them: a typo in a variable name would leave a role unusable.
            LedgerAccounts accounts = Binder.get(spring)
                    .bind(LedgerAccounts.PREFIX, LedgerAccounts.class)
                    .get();
            assertThat(accounts.accounts())
                    .extracting(LedgerAccounts.Account::name)
                    .containsExactly("admin", "recorder", "reader");
            assertThat(accounts.accounts())
                    .allSatisfy(account -> assertThat(account.passwordHash()).startsWith("{bcrypt}"));

            // The health check asks the port the service listens on inside the container.
            assertThat(section(replica).get("healthcheck").toString()).contains("localhost:8080/actuator/health");
            assertThat(publishedContainerPort(replica, 8080)).isEqualTo(8080);
        }
    }

    @Test
    void theImageIsBuiltFromTheServiceJar() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("COPY ledger-api/target/ledger-api-").contains("EXPOSE 8080");
        // The image runs with the JVM options the README's run command uses (ledger.jvm.options in the pom).
        Matcher options = Pattern.compile("<ledger.jvm.options>([^<]+)</ledger.jvm.options>")
                .matcher(Files.readString(ROOT.resolve("ledger-api/pom.xml")));
        assertThat(options.find()).isTrue();
        assertThat(dockerfile)
                .contains("JAVA_OPTS=\"" + options.group(1) + "\"")
                .contains("MALLOC_ARENA_MAX=2");
        assertThat(dockerfile
                        .lines()
                        .filter(l -> l.startsWith("FROM"))
                        .findFirst()
                        .orElseThrow())
                .doesNotContain(":latest")
                .containsPattern(":\\d");
    }

    /** The replica's environment after compose's interpolation, under the axonserver profile, as Spring sees it. */
    private StandardEnvironment springEnvironmentOf(String replica) throws Exception {
        Map<String, Object> environment = new HashMap<>();
        Map<String, String> given = Map.of(
                "LEDGER_DB_PASSWORD",
                "db-secret",
                "LEDGER_ADMIN_HASH",
                "{bcrypt}a",
                "LEDGER_RECORDER_HASH",
                "{bcrypt}r",
                "LEDGER_READER_HASH",
                "{bcrypt}d");
        map(section(replica).get("environment")).forEach((key, value) -> {
            Matcher required = REQUIRED.matcher(String.valueOf(value));
            environment.put(key, required.matches() ? given.get(required.group(1)) : String.valueOf(value));
        });
        assertThat(environment.values())
                .as("every required variable is documented in the test")
                .doesNotContainNull();

        StandardEnvironment spring = new StandardEnvironment();
        MutablePropertySources sources = spring.getPropertySources();
        sources.forEach(source -> sources.remove(source.getName()));
        sources.addFirst(new SystemEnvironmentPropertySource("compose-systemEnvironment", environment));
        for (PropertySource<?> profile : new YamlPropertySourceLoader()
                .load("axonserver", new ClassPathResource("application-axonserver.yml"))) {
            sources.addLast(profile);
        }
        return spring;
    }

    private int publishedContainerPort(String service, int containerPort) {
        List<?> ports = (List<?>) section(service).get("ports");
        return ports.stream()
                .map(String::valueOf)
                .map(mapping -> Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1)))
                .filter(port -> port == containerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError(service + " does not publish " + containerPort));
    }

    private Map<String, Object> services() {
        return map(compose.get("services"));
    }

    private Map<String, Object> section(String service) {
        return map(services().get(service));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> load() {
        try {
            return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
