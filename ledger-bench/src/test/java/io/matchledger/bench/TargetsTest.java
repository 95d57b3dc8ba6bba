package io.matchledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.bench.BenchReport.Lag;
import io.matchledger.bench.BenchReport.Target;
import io.matchledger.bench.Latencies.LatencySummary;
import org.junit.jupiter.api.Test;

/**
 * The lag target is met only at the load it names: a quick read model behind a service that fell short is a MISS.
 * The ledger meets the CRUD baseline's target at 1.0x and above, and without a (d) measurement there is no verdict.
 */
class TargetsTest {

    @Test
    void lagUnderTheLimitAtTheTargetRatePasses() {
        Target target = Targets.lag(lag(648, 648, 99.4, 0, 0));

        assertThat(target.verdict()).isEqualTo("PASS");
        assertThat(target.value()).isEqualTo("99.4 ms (648 of 648/s achieved)");
    }

    @Test
    void lagUnderTheLimitAtTwoThirdsOfTheTargetRateMisses() {
        // A mid-size run at -Xmx224m: 239 ms looked like a pass, but the service took only 451 of the 673/s asked.
        Target target = Targets.lag(lag(673, 451, 239.2, 0, 0));

        assertThat(target.verdict()).isEqualTo("MISS");
        assertThat(target.value()).isEqualTo("239.2 ms (451 of 673/s achieved)");
    }

    @Test
    void lagWithMatchesNeverSeenOrFailedMisses() {
        assertThat(Targets.lag(lag(648, 648, 99.4, 3, 0)).verdict()).isEqualTo("MISS");
        assertThat(Targets.lag(lag(648, 648, 99.4, 0, 2)).verdict()).isEqualTo("MISS");
        assertThat(Targets.lag(lag(648, 648, 99.4, 0, 2)).value()).endsWith(", 2 failed");
    }

    @Test
    void lagOverTheLimitMisses() {
        assertThat(Targets.lag(lag(1_124, 1_100, 260, 0, 0)).verdict()).isEqualTo("MISS");
    }

    @Test
    void ledgerAtLeastAsFastAsTheCrudLedgerPassesAndSlowerMisses() {
        Target equal = Targets.ledgerVsCrud(2_000, 2_000);
        assertThat(equal.verdict()).isEqualTo("PASS");
        assertThat(equal.value()).isEqualTo("1.00x (2,000 vs 2,000 matches/s)");
        assertThat(Targets.ledgerVsCrud(2_500, 2_000).verdict()).isEqualTo("PASS");

        // A ledger at a tenth of the CRUD ledger's rate: no rounding makes that a pass.
        Target slower = Targets.ledgerVsCrud(998, 10_500);
        assertThat(slower.verdict()).isEqualTo("MISS");
        assertThat(slower.value()).isEqualTo("0.10x (998 vs 10,500 matches/s)");
    }

    @Test
    void noCrudMeasurementGivesNoVerdict() {
        Target target = Targets.ledgerVsCrud(998, 0);

        assertThat(target.verdict()).isEqualTo("n/a");
        assertThat(target.value()).isEqualTo("-");
    }

    private static Lag lag(double targetRate, double achievedRate, double p99Ms, long unseen, long errors) {
        LatencySummary latency = new LatencySummary(1_000, p99Ms / 10, p99Ms, p99Ms * 1.2, p99Ms / 8);
        return new Lag(targetRate, achievedRate, 1_000, errors, unseen, latency, latency);
    }
}
