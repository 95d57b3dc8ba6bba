package io.matchledger.core.api;

/** What the one season calendar records: seasons defined, a season ended early, a season sealed with its hash. */
public sealed interface SeasonCalendarEvent permits SeasonsDefined, SeasonEndedEarly, SeasonSealed {}
