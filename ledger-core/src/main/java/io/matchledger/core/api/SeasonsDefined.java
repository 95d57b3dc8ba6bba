package io.matchledger.core.api;

import java.util.List;

/** What a {@link DefineSeasonsCommand} changed: the seasons it defined or redefined. */
public record SeasonsDefined(List<SeasonWindow> seasons) implements SeasonCalendarEvent {}
