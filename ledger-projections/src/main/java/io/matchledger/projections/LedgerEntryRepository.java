package io.matchledger.projections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * Each query seeks one of the indexes of {@link LedgerEntry}; none of them counts or skips a player's entries. The
 * ORDER BY names the player too, although it is fixed by the WHERE: only an order that spells out the index's columns
 * lets H2 walk the index and stop, rather than read every entry of the player and sort them.
 */
public interface LedgerEntryRepository extends JpaRepository<LedgerEntry, LedgerEntry.Key> {

    /** A page of matches, newest first, by their numbers: a range of the (player, match number) index. */
    @Query("""
           select e from LedgerEntry e
           where e.playerId = :playerId and e.matchNumber between :first and :last
           order by e.playerId, e.matchNumber desc""")
    List<LedgerEntry> matchesNumbered(String playerId, long first, long last);

    /** The total right after the last entry recorded at or before the instant. */
    @Query("""
           select e.totalAfter from LedgerEntry e
           where e.playerId = :playerId and e.recordedAt <= :asOf
           order by e.playerId, e.recordedAt desc, e.sequence desc
           limit 1""")
    Optional<Long> totalAsOf(String playerId, Instant asOf);

    @Query("""
           select e from LedgerEntry e
           where e.playerId = :playerId and e.matchId = :matchId and e.kind = io.matchledger.projections.EntryKind.MATCH""")
    Optional<LedgerEntry> matchEntry(String playerId, String matchId);

    /**
     * A page of the matches played in {@code [from, to)}, newest first: within the player's (player, match number)
     * index, so its cost follows the player's matches, not everyone's.
     */
    @Query("""
           select e from LedgerEntry e
           where e.playerId = :playerId and e.kind = io.matchledger.projections.EntryKind.MATCH
             and e.occurredAt >= :from and e.occurredAt < :to
           order by e.playerId, e.matchNumber desc
           limit :limit offset :offset""")
    List<LedgerEntry> matchesPlayedBetween(String playerId, Instant from, Instant to, int offset, int limit);

    @Query("""
           select count(e) from LedgerEntry e
           where e.playerId = :playerId and e.kind = io.matchledger.projections.EntryKind.MATCH
             and e.occurredAt >= :from and e.occurredAt < :to""")
    long countMatchesPlayedBetween(String playerId, Instant from, Instant to);
}
