package io.matchledger.projections.api;

/** Every season, by start; answers {@link SeasonList}. */
public record ListSeasonsQuery() {}
