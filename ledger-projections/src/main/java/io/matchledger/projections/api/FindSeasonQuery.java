package io.matchledger.projections.api;

import java.time.Instant;

/**
 * One season by id, or {@code current}: the season whose window holds {@code at}. Answers
 * {@code Optional<SeasonView>}. {@code corrections}: with its post-seal corrections listed (the season's page), or
 * without (a read scoped to the season only needs to know it).
 */
public record FindSeasonQuery(String seasonId, Instant at, boolean corrections) {}
