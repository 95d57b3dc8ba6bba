package io.matchledger.projections;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardAroundQuery;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.PlayerView;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Players' totals and the leaderboard. Handlers need the event's {@link TrackingToken}, so this group must run in a
 * streaming (tracking or pooled) processor: a subscribing one would not call them at all.
 */
@Component
@ProcessingGroup(StandingsProjection.PROCESSING_GROUP)
public class StandingsProjection {

    public static final String PROCESSING_GROUP = "standings";

    private final PlayerStandingRepository standings;
    private final PointsTallyRepository tallies;

    public StandingsProjection(PlayerStandingRepository standings, PointsTallyRepository tallies) {
        this.standings = standings;
        this.tallies = tallies;
    }

    @EventHandler
    void on(PlayerRegistered event, @SequenceNumber long sequence, TrackingToken token) {
        // Registration is the first event of a player's stream: if the row is there, this is a redelivery. findById,
        // not existsById: a query would flush the batch's pending changes once per event.
        if (standings.findById(event.playerId()).isEmpty()) {
            standings.save(new PlayerStanding(event.playerId(), event.name(), sequence, position(token)));
            count(0, 1);
        }
    }

    @EventHandler
    void on(PlayerRenamed event, @SequenceNumber long sequence) {
        standing(event.playerId()).rename(event.name(), sequence);
    }

    @EventHandler
    void on(MatchRecorded event, @SequenceNumber long sequence, TrackingToken token) {
        change(event.playerId(), standing -> standing.recordMatch(event.result(), event.points(), sequence,
                                                                  position(token)));
    }

    @EventHandler
    void on(MatchVoided event, @SequenceNumber long sequence, TrackingToken token) {
        change(event.playerId(), standing -> standing.voidMatch(event.result(), event.points(), sequence,
                                                                position(token)));
    }

    @EventHandler
    void on(PointsAdjusted event, @SequenceNumber long sequence, TrackingToken token) {
        change(event.playerId(), standing -> standing.adjust(event.points(), sequence, position(token)));
    }

    /** A rebuild starts from empty tables; otherwise every replayed event would look like a redelivery. */
    @ResetHandler
    void reset() {
        standings.deleteAllInBatch();
        tallies.deleteAllInBatch();
    }

    @QueryHandler
    public Optional<PlayerView> handle(FindPlayerQuery query) {
        return standings.findById(query.playerId()).map(standing -> standing.view(rankOf(standing)));
    }

    @QueryHandler
    public LeaderboardPage handle(LeaderboardQuery query) {
        int offset = Math.max(0, query.offset());
        int limit = Math.max(0, query.limit());
        List<PlayerStanding> rows = limit == 0 ? List.of() : standings.inLeaderboardOrder(offset, limit);
        return page(offset, limit, rows);
    }

    @QueryHandler
    public Optional<LeaderboardPage> handle(LeaderboardAroundQuery query) {
        int radius = Math.max(0, query.radius());
        return standings.findById(query.playerId()).map(standing -> {
            long rank = rankOf(standing);
            // Seek from the player both ways rather than skip rank-1 rows from the top.
            List<PlayerStanding> above = radius == 0 ? List.of() : standings.justAhead(
                    standing.getPoints(), standing.getReachedAt(), standing.getPlayerId(), radius);
            List<PlayerStanding> below = radius == 0 ? List.of() : standings.justBehind(
                    standing.getPoints(), standing.getReachedAt(), standing.getPlayerId(), radius);
            List<PlayerStanding> rows = new ArrayList<>(above);
            Collections.reverse(rows);
            rows.add(standing);
            rows.addAll(below);
            long offset = rank - 1 - above.size();
            // The same rows as LeaderboardQuery(offset, limit) would give.
            long limit = Math.min(Integer.MAX_VALUE, above.size() + 1L + radius);
            return page((int) offset, (int) limit, rows);
        });
    }

    private long rankOf(PlayerStanding standing) {
        return 1 + tallies.playersAbove(standing.getPoints())
                + standings.countReachedEarlier(standing.getPoints(), standing.getReachedAt())
                + standings.countReachedAlongsideWithSmallerId(standing.getPoints(), standing.getReachedAt(),
                                                               standing.getPlayerId());
    }

    private LeaderboardPage page(int offset, int limit, List<PlayerStanding> rows) {
        List<LeaderboardEntry> items = IntStream.range(0, rows.size())
                                                .mapToObj(i -> rows.get(i).entry(offset + i + 1L))
                                                .toList();
        return new LeaderboardPage(offset, limit, standings.count(), items);
    }

    /** Applies a change to a player's standing and moves them in the tally by whatever it did to their points. */
    private void change(String playerId, Consumer<PlayerStanding> change) {
        PlayerStanding standing = standing(playerId);
        long before = standing.getPoints();
        change.accept(standing);
        move(before, standing.getPoints());
    }

    private void move(long from, long to) {
        if (from != to) {
            count(from, -1);
            count(to, 1);
        }
    }

    /**
     * Counts in the managed entity, not with an UPDATE statement: a bulk update makes Hibernate flush before it, once
     * per event, where a batch of events should flush once. {@link PointsTally} is versioned, so two writers of one
     * total fail and retry rather than lose a count.
     */
    private void count(long points, long delta) {
        tallies.findById(points).orElseGet(() -> tallies.save(PointsTally.startAt(points))).add(delta);
    }

    private PlayerStanding standing(String playerId) {
        // Registration comes first on the same stream, so a missing row means the table lost data: fail loudly.
        return standings.findById(playerId)
                        .orElseThrow(() -> new IllegalStateException("no standing for player " + playerId));
    }

    private static long position(TrackingToken token) {
        return token.position().orElseThrow(
                () -> new IllegalStateException("standings need a token with a global position, got " + token));
    }
}
