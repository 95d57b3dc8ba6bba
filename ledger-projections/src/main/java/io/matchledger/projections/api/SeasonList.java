package io.matchledger.projections.api;

import java.util.List;

/** Every season by start, without the corrections' lists; {@code current} is the running season's id, or null. */
public record SeasonList(String current, List<SeasonView> items) {}
