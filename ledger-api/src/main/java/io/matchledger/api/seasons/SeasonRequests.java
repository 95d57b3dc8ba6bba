package io.matchledger.api.seasons;

import io.matchledger.api.problems.InvalidRequest;
import io.matchledger.api.web.LedgerText;
import io.matchledger.core.api.SeasonWindow;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The bodies of the season operations, and how each becomes the seasons it defines. */
final class SeasonRequests {

    private SeasonRequests() {}

    /** One season: {@code [start, end)}; {@code grace} (ISO-8601, such as PT1H) defaults to the service's. */
    record Season(
            @LedgerText(LedgerText.Kind.NAME) String name,
            @NotNull Instant start,
            @NotNull Instant end,
            String grace) {

        SeasonWindow window(String seasonId, Duration defaultGrace) {
            return new SeasonWindow(seasonId, name.strip(), start, end, parseGrace(grace, defaultGrace));
        }
    }

    /**
     * {@code count} seasons one after the other from {@code start}, each {@code every} long (an ISO-8601 period:
     * P7D or P1W weekly, P1M monthly, counted in UTC), with ids {@code <scheduleId>-1, -2, ...} and names
     * {@code "<name> 1", ...}.
     */
    record Schedule(
            @LedgerText(value = LedgerText.Kind.NAME, max = 90)
            String name,

            @NotNull Instant start,
            @NotNull String every,
            @NotNull @Min(1) @Max(520) Integer count,
            String grace) {

        List<SeasonWindow> windows(String scheduleId, Duration defaultGrace) {
            Period period;
            try {
                period = Period.parse(every);
            } catch (DateTimeParseException e) {
                throw new InvalidRequest("every", "must be an ISO-8601 period such as P7D, P1W or P1M");
            }
            if (period.isNegative() || period.isZero()) {
                throw new InvalidRequest("every", "must be a positive period");
            }
            Duration seasonGrace = parseGrace(grace, defaultGrace);
            List<SeasonWindow> windows = new ArrayList<>();
            for (int n = 0; n < count; n++) {
                Instant from = start.atOffset(ZoneOffset.UTC)
                        .plus(period.multipliedBy(n))
                        .toInstant();
                Instant to = start.atOffset(ZoneOffset.UTC)
                        .plus(period.multipliedBy(n + 1))
                        .toInstant();
                String id = scheduleId + "-" + (n + 1);
                if (id.length() > 64) {
                    throw new InvalidRequest("scheduleId", "leaves no room for the season numbers (64 at most)");
                }
                windows.add(new SeasonWindow(id, name.strip() + " " + (n + 1), from, to, seasonGrace));
            }
            return windows;
        }
    }

    record End(
            @LedgerText(value = LedgerText.Kind.REASON, max = 500)
            String reason) {}

    private static Duration parseGrace(String grace, Duration defaultGrace) {
        if (grace == null) {
            return defaultGrace;
        }
        try {
            return Duration.parse(grace);
        } catch (DateTimeParseException e) {
            throw new InvalidRequest("grace", "must be an ISO-8601 duration such as PT1H");
        }
    }
}
