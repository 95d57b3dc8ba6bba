package io.matchledger.projections;

import java.util.Optional;

/**
 * Where the standings live while events change them: the read model's tables ({@link BatchedStandingsTables}), or a
 * rebuild's memory ({@link StandingsRebuild}). The handlers of {@link StandingsProjection} only talk to this, so a
 * rebuild folds every event through the very code that keeps the live model, and the two cannot drift apart.
 */
interface StandingsTables {

    Optional<PlayerStanding> find(String playerId);

    void add(PlayerStanding standing);

    /** Changes how many players stand at a total. */
    void count(long points, long delta);

    /** Empties the model, for a replay from the first event. */
    void clear();
}
