package io.matchledger.projections;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface PointsTallyRepository extends JpaRepository<PointsTally, Long> {

    @Query("select coalesce(sum(t.players), 0) from PointsTally t where t.points > :points")
    long playersAbove(long points);

    /** All players: each is counted at their total, in the transaction that moves them. */
    @Query("select coalesce(sum(t.players), 0) from PointsTally t")
    long players();
}
