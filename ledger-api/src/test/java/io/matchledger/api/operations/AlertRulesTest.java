package io.matchledger.api.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alert rules of ops/ as Prometheus reads them ({@code promtool check rules}) and as they behave
 * ({@code promtool test rules ops/prometheus/alerts-test.yml}): a projection FAILING for a minute fires, a lag over the
 * threshold fires, and so do the other alerts on their signals; a quiet ledger fires nothing.
 */
class AlertRulesTest {

    static final Path RULES =
            Path.of("..", "ops", "prometheus").toAbsolutePath().normalize();

    @Test
    void eachAlertFiresOnItsSignalAndAQuietLedgerFiresNothing() throws Exception {
        String promtool = Tools.required("promtool").toString();
        assertThat(Tools.run(RULES, List.of(promtool, "check", "rules", "alerts.yml")))
                .contains("SUCCESS");
        assertThat(Tools.run(RULES, List.of(promtool, "test", "rules", "alerts-test.yml")))
                .contains("SUCCESS");
    }
}
