package io.matchledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.api.database.DatabaseSettings;
import io.matchledger.api.positions.ReadYourWritesSettings;
import io.matchledger.api.seasons.SeasonSettings;
import io.matchledger.api.security.HttpSettings;
import io.matchledger.api.selfcheck.SelfCheckSettings;
import io.matchledger.core.Causes;
import io.matchledger.core.JitteredRetryScheduler;
import io.matchledger.projections.lifecycle.ProjectionSettings;
import io.matchledger.projections.lifecycle.ReadModelSettings;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The service's typed settings: their defaults bind and are valid, a nonsense value refuses to start with a message
 * naming the property, and Spring's metadata documents each with its one default.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsTest {

    @EnableConfigurationProperties({
        CommandSettings.class,
        EventStoreSettings.class,
        GroupCommitSettings.class,
        LedgerModuleSettings.class,
        MetricsSettings.class,
        DatabaseSettings.class,
        ReadYourWritesSettings.class,
        SeasonSettings.class,
        HttpSettings.class,
        SelfCheckSettings.class,
        ProjectionSettings.class,
        ReadModelSettings.class
    })
    static class AllSettings {}

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(AllSettings.class);

    @Test
    void theDefaultsBindAndTheRetryPolicysAreTheSchedulersOwn() {
        context.run(started -> {
            assertThat(started).hasNotFailed();
            CommandSettings.Retries retries =
                    started.getBean(CommandSettings.class).retries();
            assertThat(retries.conflicts()).isEqualTo(JitteredRetryScheduler.CONFLICT_RETRIES);
            assertThat(retries.conflictBaseMs()).isEqualTo(JitteredRetryScheduler.CONFLICT_BASE_MILLIS);
            assertThat(retries.conflictCapMs()).isEqualTo(JitteredRetryScheduler.CONFLICT_CAP_MILLIS);
            assertThat(retries.others()).isEqualTo(JitteredRetryScheduler.OTHER_RETRIES);
            assertThat(retries.otherWaitMs()).isEqualTo(JitteredRetryScheduler.OTHER_WAIT_MILLIS);
            assertThat(started.getBean(SeasonSettings.class).grace()).isEqualTo(Duration.ofHours(1));
            assertThat(started.getBean(GroupCommitSettings.class).lanes()).isEqualTo(2);
        });
    }

    @Test
    void aSettingGivenIsTheOneUsed() {
        context.withPropertyValues(
                        "ledger.commands.retries.conflicts=7",
                        "ledger.player-cache.maximum-size=12",
                        "ledger.read-models.balance-every=250ms")
                .run(started -> {
                    assertThat(started.getBean(CommandSettings.class).retries().conflicts())
                            .isEqualTo(7);
                    assertThat(started.getBean(LedgerModuleSettings.class)
                                    .playerCache()
                                    .maximumSize())
                            .isEqualTo(12);
                    assertThat(started.getBean(ReadModelSettings.class).balanceEvery())
                            .isEqualTo(Duration.ofMillis(250));
                });
    }

    /** What an operator reads when the service refuses to start: Spring Boot's report names the property. */
    @ParameterizedTest
    @CsvSource({
        "ledger.group-commit.lanes=0, ledger.group-commit.lanes, must be greater than 0",
        "ledger.seasons.seal-check=-5s, ledger.seasons.seal-check, must be longer than or equal to 1 milli",
        "ledger.read-models.balance-every=0s, ledger.read-models.balance-every, must be longer than or equal to 1 milli"
    })
    void aNonsenseValueRefusesToStartNamingItsProperty(
            String given, String property, String reason, CapturedOutput output) {
        SpringApplication service = new SpringApplication(AllSettings.class);
        service.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> service.run("--" + given)).isInstanceOf(ConfigurationPropertiesBindException.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                // The origin names the property as it was given; "Property:" gives a record's its Java name.
                .contains("Origin: \"" + property + "\"")
                .contains("Reason: " + reason);
    }

    @Test
    void aRuleBetweenTwoSettingsIsCheckedAtStartUp() {
        context.withPropertyValues(
                        "ledger.commands.retries.conflict-base-ms=500", "ledger.commands.retries.conflict-cap-ms=100")
                .run(started -> assertThat(messages(started.getStartupFailure()))
                        .contains("ledger.commands")
                        .contains("conflict-cap-ms is at least conflict-base-ms"));
    }

    /** The IDE's view: every setting of the service in Spring's metadata, with the default it has in its record. */
    @Test
    void springsMetadataDocumentsEachSettingWithItsOneDefault() throws Exception {
        Map<String, JsonNode> properties = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (URL url : Collections.list(
                getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                json.readTree(in)
                        .path("properties")
                        .forEach(p -> properties.put(p.path("name").asText(), p));
            }
        }
        assertThat(properties
                        .get("ledger.commands.retries.conflicts")
                        .path("defaultValue")
                        .asInt())
                .isEqualTo(JitteredRetryScheduler.CONFLICT_RETRIES);
        assertThat(properties.get("ledger.seasons.grace").path("defaultValue").asText())
                .isEqualTo("PT1H");
        assertThat(properties.get("ledger.seasons.grace").path("description").asText())
                .contains("commit grace");
        assertThat(properties
                        .get("ledger.read-models.balance-every")
                        .path("defaultValue")
                        .asText())
                .isEqualTo("5s");
        assertThat(properties
                        .get("ledger.projections.rebuild-batch-size")
                        .path("defaultValue")
                        .asInt())
                .isEqualTo(1000);
        assertThat(properties
                        .get("ledger.event-store.read-batch-size")
                        .path("defaultValue")
                        .asInt())
                .isEqualTo(1000);
        assertThat(properties
                        .get("ledger.http.max-body-bytes")
                        .path("defaultValue")
                        .asLong())
                .isEqualTo(65536);
    }

    private static String messages(Throwable failure) {
        return Causes.of(failure).map(Throwable::getMessage).collect(Collectors.joining("\n"));
    }
}
