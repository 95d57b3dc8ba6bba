package io.matchledger.projections;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * The all-time standings in the leaderboard order ({@link LeaderboardOrder}, where it is decided): these queries, the
 * rank in {@link StandingsQueries} and {@link Ranking} (around-me and the neighbours of "why am I #N", for all time and
 * for seasons) follow it, and so does the index {@code player_standing_leaderboard} of the migrations (V1), which
 * {@code StandingsProjectionTest} checks on the migrated schema. Each query seeks the index on its
 * leading {@code points} condition and filters the rest, so its cost follows the rows it returns (and the ties it
 * skips), not the number of players.
 */
public interface PlayerStandingRepository extends JpaRepository<PlayerStanding, String> {

    /** Walks the index from the top: cheap for the first pages, linear in {@code offset} further down. */
    @Query("select s from PlayerStanding s order by " + LeaderboardOrder.JPQL + " limit :limit offset :offset")
    List<PlayerStanding> inLeaderboardOrder(int offset, int limit);

    /**
     * Players on the same total who reached it earlier: with {@link #countReachedAlongsideWithSmallerId}, those ahead
     * of a position. Two counts, not one with an OR: each is a range of the leaderboard index, where the OR made H2
     * read every row on that total to test it (player lookups among 100,000 players were slow: docs/performance.md).
     */
    @Query("select count(s) from PlayerStanding s where s.points = :points and s.reachedAt < :reachedAt")
    long countReachedEarlier(long points, long reachedAt);

    /** Players who reached the same total at the same position with a smaller id (see the tie test). */
    @Query("""
           select count(s) from PlayerStanding s
           where s.points = :points and s.reachedAt = :reachedAt and s.playerId < :playerId""")
    long countReachedAlongsideWithSmallerId(long points, long reachedAt, String playerId);
}
