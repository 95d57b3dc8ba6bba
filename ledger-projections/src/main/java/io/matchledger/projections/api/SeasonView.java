package io.matchledger.projections.api;

import io.matchledger.core.api.SeasonSeal;
import java.time.Instant;
import java.util.List;

/**
 * A season as dashboards and auditors see it. {@code status}: {@code scheduled} (not started), {@code running},
 * {@code grace} (ended, late reports still count), {@code closed} (waiting for its seal), {@code sealed}.
 * {@code seal} is null until sealed. {@code corrections} lists what the ledger recorded for the season after its close
 * (at most 100, newest first; {@code correctionCount} counts them all): shown, never counted in its standings.
 */
public record SeasonView(
        String seasonId,
        String name,
        Instant start,
        Instant end,
        Instant plannedEnd,
        String grace,
        Instant closesAt,
        String status,
        String endedEarlyReason,
        long players,
        SeasonSeal seal,
        Instant sealedAt,
        long correctionCount,
        List<SeasonCorrection> corrections) {}
