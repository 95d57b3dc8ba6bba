package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The PostgreSQL the tests are given: {@code LEDGER_IT_PG_URL}, {@code LEDGER_IT_PG_USER} and
 * {@code LEDGER_IT_PG_PASSWORD}. CI must give one (see {@code .ci/run}); elsewhere a test without one is skipped.
 */
public record GivenPostgres(String url, String user, String password) {

    /** The database given, or the calling test skipped (failed in CI). */
    public static GivenPostgres orSkip() {
        String url = System.getenv("LEDGER_IT_PG_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(url).as("CI must provide LEDGER_IT_PG_URL (see .ci/run)").isNotBlank();
        }
        assumeThat(url).as("LEDGER_IT_PG_URL not set: no PostgreSQL").isNotBlank();
        return new GivenPostgres(
                url,
                System.getenv().getOrDefault("LEDGER_IT_PG_USER", "ledger"),
                System.getenv().getOrDefault("LEDGER_IT_PG_PASSWORD", ""));
    }

    /** The same database, its sessions working in {@code schema}. */
    public GivenPostgres inSchema(String schema) {
        return new GivenPostgres(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password);
    }
}
