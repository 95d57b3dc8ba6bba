package io.matchledger.core.api;

import java.time.Instant;

/** A running season ended before its planned end: its window is now {@code [start, end)}, closing at end + grace. */
public record SeasonEndedEarly(String seasonId, Instant end, Instant plannedEnd, String reason)
        implements SeasonCalendarEvent {}
