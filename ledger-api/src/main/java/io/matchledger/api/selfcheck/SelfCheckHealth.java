package io.matchledger.api.selfcheck;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health}'s {@code selfCheck}: {@code DIVERGED} while a read model's rows are unequal to the events
 * (answered 200, and outside readiness: the process still serves, and the rows are being repaired), UNKNOWN when the
 * last round failed, UP otherwise; the details say what was found and where the check stands.
 */
@Component("selfCheckHealthIndicator")
class SelfCheckHealth implements HealthIndicator {

    static final Status DIVERGED = new Status("DIVERGED", "a read model diverges from the ledger's events");

    private final SelfCheck check;

    SelfCheckHealth(SelfCheck check) {
        this.check = check;
    }

    @Override
    public Health health() {
        SelfCheck.Report report = check.report();
        Health.Builder health = report.unrepairedCount() > 0
                ? Health.status(DIVERGED)
                : report.lastFailure() != null ? Health.unknown() : Health.up();
        return health.withDetail("checkedThrough", report.checkedThrough())
                .withDetail("eventsRead", report.eventsRead())
                .withDetail("players", report.players())
                .withDetail("matches", report.matches())
                .withDetail("compared", report.compared())
                .withDetail("divergencesFound", report.divergencesFound())
                .withDetail("repairsSent", report.repairsSent())
                .withDetail("repaired", report.repaired())
                .withDetail("unrepaired", report.unrepaired())
                .withDetail("unrepairedCount", report.unrepairedCount())
                .withDetail("lastRound", String.valueOf(report.lastRound()))
                .withDetail("lastFailure", String.valueOf(report.lastFailure()))
                .build();
    }
}
