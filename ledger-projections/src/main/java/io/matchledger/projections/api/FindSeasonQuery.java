package io.matchledger.projections.api;

import java.time.Instant;

/**
 * One season by id, or {@code current}: the season whose window holds {@code at}. Answers
 * {@code Optional<SeasonView>}.
 */
public record FindSeasonQuery(String seasonId, Instant at) {}
