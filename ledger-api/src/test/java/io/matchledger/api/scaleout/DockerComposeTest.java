package io.matchledger.api.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.security.LedgerAccounts;
import io.matchledger.api.webhooks.WebhookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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

            // Both replicas decrypt the webhook secrets with one key, given whole (32 bytes).
            WebhookSettings webhooks = Binder.get(spring)
                    .bind("ledger.webhooks", WebhookSettings.class)
                    .get();
            assertThat(Base64.getDecoder().decode(webhooks.secretKey())).hasSize(32);

            // The health check asks the port the service listens on inside the container.
            assertThat(section(replica).get("healthcheck").toString()).contains("localhost:8080/actuator/health");
            assertThat(publishedContainerPort(replica, 8080)).isEqualTo(8080);
        }
    }

    /**
     * Prometheus scrapes both replicas where they listen, as the admin, with the alert rules of ops/; Grafana is
     * provisioned with that Prometheus and the dashboard of ops/, whose every panel names that data source.
     */
    @Test
    void prometheusScrapesTheReplicasWithTheAlertsAndGrafanaShowsTheDashboard() throws Exception {
        assertThat(services()).containsKeys("prometheus", "grafana");
        Map<String, String> prometheusMounts = mounts("prometheus");
        Map<String, Object> prometheus = yaml(prometheusMounts, "/etc/prometheus/prometheus.yml");
        List<?> rules = (List<?>) prometheus.get("rule_files");
        assertThat(rules).hasSize(1);
        assertThat(prometheusMounts).containsEntry((String) rules.get(0), "./ops/prometheus/alerts.yml");
        Map<String, Object> scrape = map(((List<?>) prometheus.get("scrape_configs")).get(0));
        assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> auth = map(scrape.get("basic_auth"));
        assertThat(auth.get("username")).isEqualTo("admin");
        assertThat(section("prometheus").get("secrets").toString()).contains("ledger_metrics_password");
        assertThat(auth.get("password_file")).isEqualTo("/run/secrets/ledger_metrics_password");
        assertThat(map(map(compose.get("secrets")).get("ledger_metrics_password")))
                .containsEntry("environment", "LEDGER_METRICS_PASSWORD");
        List<?> targets =
                (List<?>) map(((List<?>) scrape.get("static_configs")).get(0)).get("targets");
        assertThat(targets.stream().map(String::valueOf).toList()).containsExactly("ledger-1:8080", "ledger-2:8080");
        assertThat(publishedContainerPort("ledger-1", 8080)).isEqualTo(8080);

        Map<String, String> grafanaMounts = mounts("grafana");
        Map<String, Object> source =
                map(((List<?>) yaml(grafanaMounts, "/etc/grafana/provisioning/datasources/prometheus.yml")
                                .get("datasources"))
                        .get(0));
        assertThat(source.get("url")).isEqualTo("http://prometheus:" + publishedContainerPort("prometheus", 9090));
        Map<String, Object> provider =
                map(((List<?>) yaml(grafanaMounts, "/etc/grafana/provisioning/dashboards/match-ledger.yml")
                                .get("providers"))
                        .get(0));
        String dashboards = (String) map(provider.get("options")).get("path");
        Path dashboard = ROOT.resolve(grafanaMounts.get(dashboards)).resolve("match-ledger.json");
        JsonNode panels = new ObjectMapper().readTree(dashboard.toFile()).get("panels");
        assertThat(panels).isNotEmpty();
        panels.forEach(panel -> assertThat(panel.at("/datasource/uid").asText())
                .as(panel.path("title").asText())
                .isEqualTo(source.get("uid")));
    }

    /** A service's bind mounts, by where they appear in the container: their source below the project. */
    private Map<String, String> mounts(String service) {
        Map<String, String> mounts = new HashMap<>();
        for (Object volume : (List<?>) section(service).get("volumes")) {
            String[] parts = volume.toString().split(":");
            if (parts[0].startsWith("./")) {
                assertThat(ROOT.resolve(parts[0]))
                        .as(service + " mounts " + parts[0])
                        .exists();
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    /** The YAML file mounted at {@code target}, read from where the project keeps it (a file, or below a folder). */
    private static Map<String, Object> yaml(Map<String, String> mounts, String target) throws Exception {
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            if (target.equals(mount.getKey()) || target.startsWith(mount.getKey() + "/")) {
                Path file = ROOT.resolve(
                        mount.getValue() + target.substring(mount.getKey().length()));
                return new Yaml().load(Files.readString(file));
            }
        }
        throw new AssertionError("nothing is mounted at " + target);
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
                "{bcrypt}d",
                "LEDGER_WEBHOOKS_SECRET_KEY",
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
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
