package io.matchledger.projections;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface PointsTallyRepository extends JpaRepository<PointsTally, Long> {

    /** Adds in the database, not in memory, so concurrent segments cannot overwrite each other's counts. */
    @Transactional
    @Modifying(flushAutomatically = true)
    @Query("update PointsTally t set t.players = t.players + :delta where t.points = :points")
    int add(long points, long delta);

    @Query("select coalesce(sum(t.players), 0) from PointsTally t where t.points > :points")
    long playersAbove(long points);
}
