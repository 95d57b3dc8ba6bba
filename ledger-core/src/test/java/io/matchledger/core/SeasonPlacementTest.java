package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.SeasonWindow;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where a match lands in a season ({@link SeasonWindow}, ADR 0013): at each edge of the window and of the close. */
class SeasonPlacementTest {

    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant END = Instant.parse("2026-12-08T00:00:00Z");
    static final SeasonWindow WEEK = new SeasonWindow("w1", "Week 1", START, END, Duration.ofHours(1));
    static final Instant CLOSE = END.plus(Duration.ofHours(1));

    @Test
    void aMatchIsInTheSeasonWhoseWindowHoldsWhenItWasPlayedStartIncludedEndNot() {
        assertThat(WEEK.holds(START.minusMillis(1))).isFalse();
        assertThat(WEEK.holds(START)).isTrue();
        assertThat(WEEK.holds(END.minusMillis(1))).isTrue();
        assertThat(WEEK.holds(END)).isFalse();
    }

    @Test
    void itCountsThereWhenRecordedBeforeTheCloseAndIsACorrectionFromTheCloseOn() {
        assertThat(WEEK.closesAt()).isEqualTo(CLOSE);
        assertThat(WEEK.inTime(CLOSE.minusMillis(1))).isTrue();
        assertThat(WEEK.inTime(CLOSE)).isFalse();
        Instant played = END.minusSeconds(10);
        assertThat(WEEK.counts(played, CLOSE.minusMillis(1))).isTrue();
        assertThat(WEEK.counts(played, CLOSE)).isFalse();
        assertThat(WEEK.counts(END, END.plusSeconds(1)))
                .as("played after the end")
                .isFalse();
        assertThat(SeasonWindow.counts(START, END, CLOSE, played, CLOSE.minusMillis(1)))
                .isEqualTo(WEEK.counts(played, CLOSE.minusMillis(1)));
    }
}
