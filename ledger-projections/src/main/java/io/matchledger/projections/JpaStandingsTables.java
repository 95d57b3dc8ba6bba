package io.matchledger.projections;

import org.springframework.stereotype.Component;

import java.util.Optional;

/** The standings in their tables: the live read model. */
@Component
class JpaStandingsTables implements StandingsTables {

    private final PlayerStandingRepository standings;
    private final PointsTallyRepository tallies;

    JpaStandingsTables(PlayerStandingRepository standings, PointsTallyRepository tallies) {
        this.standings = standings;
        this.tallies = tallies;
    }

    /** findById, not a query: a query would flush the batch's pending changes once per event. */
    @Override
    public Optional<PlayerStanding> find(String playerId) {
        return standings.findById(playerId);
    }

    @Override
    public void add(PlayerStanding standing) {
        standings.save(standing);
    }

    /**
     * Counts in the managed entity, not with an UPDATE statement: a bulk update makes Hibernate flush before it, once
     * per event, where a batch of events should flush once. {@link PointsTally} is versioned, so two writers of one
     * total fail and retry rather than lose a count.
     */
    @Override
    public void count(long points, long delta) {
        tallies.findById(points).orElseGet(() -> tallies.save(PointsTally.startAt(points))).add(delta);
    }

    @Override
    public void clear() {
        standings.deleteAllInBatch();
        tallies.deleteAllInBatch();
    }
}
