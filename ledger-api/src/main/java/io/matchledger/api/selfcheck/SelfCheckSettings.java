package io.matchledger.api.selfcheck;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ledger's self-check ({@code ledger.self-check.*}, ADR 0022).
 *
 * @param enabled         whether this process checks its read models at all
 * @param interval        the pause between two rounds
 * @param sweep           how many players, and how many matches, each round compares again although no event of
 *                        theirs came (so a row changed by anything else is found: all of them in turn)
 * @param eventsPerRound  the most events a round reads; a process that starts on a long ledger catches up over rounds
 * @param repair          whether a divergence found is repaired ({@link io.matchledger.projections.api.ReadModelRepair})
 *                        or only reported
 * @param repairAgainAfter how long a repair may take to show before the check sends it again
 */
@Validated
@ConfigurationProperties("ledger.self-check")
public record SelfCheckSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10s") @DurationMin(millis = 10) Duration interval,
        @DefaultValue("1000") @Positive int sweep,
        @DefaultValue("200000") @Positive int eventsPerRound,
        @DefaultValue("true") boolean repair,
        @DefaultValue("1m") @DurationMin(millis = 10) Duration repairAgainAfter) {}
