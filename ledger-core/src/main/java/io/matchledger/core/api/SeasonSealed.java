package io.matchledger.core.api;

/** A season sealed: from here on its result is {@code seal}; what touches it later is a post-seal correction. */
public record SeasonSealed(SeasonSeal seal) implements SeasonCalendarEvent {}
