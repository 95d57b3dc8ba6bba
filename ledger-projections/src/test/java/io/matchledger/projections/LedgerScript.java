package io.matchledger.projections;

import io.matchledger.core.Match;
import io.matchledger.core.api.AdjustmentBooked;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PlayerErased;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.SeasonEndedEarly;
import io.matchledger.core.api.SeasonSeal;
import io.matchledger.core.api.SeasonSealed;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.api.SeasonsDefined;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.core.api.Share;
import io.matchledger.core.personal.PersonalData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The events the ledger writes for what a test does (a registration, a match on both players' ledgers and its own
 * stream, a void, a season's definition), delivered to every projection given, each event at the same global position
 * for all of them, as one event store feeds several processors. An event at position {@code p} is recorded
 * {@code p} seconds after {@link EventFeed#START}; {@link #at(long)} moves to a later position, as time passing
 * between commands. Events can also be appended without delivery ({@link #holding()}), for the test to deliver in an
 * order of its choosing, as segments of one processor do.
 */
final class LedgerScript {

    /** One event as each projection's feed holds it, index by index with the feeds. */
    record Written(Object event, List<TrackedEventMessage<?>> messages) {

        Instant recordedAt() {
            return messages.get(0).getTimestamp();
        }
    }

    private final PersonalData personal;
    private final List<EventFeed> feeds = new ArrayList<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private final Map<String, Long> totals = new HashMap<>();
    private final Map<String, MatchSettled> settled = new HashMap<>();
    private final List<Written> held = new ArrayList<>();
    private long position;
    private boolean holding;
    /** The event store the events are appended to instead, for a real processor to deliver; null with feeds. */
    private final EventBus store;

    LedgerScript(PersonalData personal, PlatformTransactionManager transactions, Object... projections) {
        this.personal = personal;
        this.store = null;
        for (Object projection : projections) {
            feeds.add(new EventFeed(projection, transactions));
        }
    }

    /**
     * Events appended to a real event store, each on its stream as the ledger writes it (a player's on the aggregate
     * type {@code Player}), for its processors to deliver; held and redelivered events have no meaning here.
     */
    LedgerScript(PersonalData personal, EventBus store) {
        this.personal = personal;
        this.store = store;
    }

    /** The instant an event at this position is recorded. */
    static Instant time(long position) {
        return EventFeed.START.plusSeconds(position);
    }

    /** The next event is written at this position (and so this many seconds after the start), not before. */
    LedgerScript at(long position) {
        if (position < this.position) {
            throw new IllegalArgumentException("position " + position + " is behind " + this.position);
        }
        this.position = position;
        return this;
    }

    /** The position the next event takes. */
    long position() {
        return position;
    }

    /** From now on events are appended, not delivered; {@link #held()} hands them over. */
    LedgerScript holding() {
        holding = true;
        return this;
    }

    /** The events appended since {@link #holding()}, in the order written; delivery is the test's from here on. */
    List<Written> held() {
        List<Written> taken = List.copyOf(held);
        held.clear();
        holding = false;
        return taken;
    }

    long total(String playerId) {
        return totals.getOrDefault(playerId, 0L);
    }

    Written register(String playerId, String name) {
        totals.putIfAbsent(playerId, 0L);
        return write(playerId, new PlayerRegistered(playerId, personal.seal(playerId, name)));
    }

    /** As the ledger erases: the key goes, and the event says so. */
    Written erase(String playerId) {
        personal.erase(playerId);
        return write(playerId, new PlayerErased(playerId, "GDPR art. 17"));
    }

    Written adjust(String playerId, String adjustmentId, int points) {
        long totalAfter = totals.merge(playerId, (long) points, Long::sum);
        return write(playerId, new PointsAdjusted(playerId, adjustmentId, points, "test", totalAfter));
    }

    /** An adjustment as the ledger books it: on the player's ledger, then on the adjustment's own stream. */
    List<Written> book(String playerId, String adjustmentId, int points) {
        Written adjusted = adjust(playerId, adjustmentId, points);
        long totalAfter = ((PointsAdjusted) adjusted.event()).totalAfter();
        return List.of(
                adjusted,
                write(
                        "adjustment:" + adjustmentId,
                        new AdjustmentBooked(adjustmentId, playerId, points, "test", totalAfter)));
    }

    /** The first player wins. */
    List<Written> win(String matchId, String winner, String loser, Instant occurredAt) {
        return match(matchId, Outcome.WIN, winner, loser, occurredAt);
    }

    List<Written> draw(String matchId, String first, String second, Instant occurredAt) {
        return match(matchId, Outcome.DRAW, first, second, occurredAt);
    }

    /**
     * A match as the ledger writes it: each player's ledger, then the match's own stream (MatchRecorded, MatchRecorded,
     * MatchSettled), at consecutive positions.
     */
    List<Written> match(String matchId, Outcome outcome, String first, String second, Instant occurredAt) {
        MatchResult firstResult = outcome == Outcome.DRAW ? MatchResult.DRAW : MatchResult.WIN;
        MatchResult secondResult = outcome == Outcome.DRAW ? MatchResult.DRAW : MatchResult.LOSS;
        int firstPoints = points(firstResult);
        int secondPoints = points(secondResult);
        long firstTotal = totals.merge(first, (long) firstPoints, Long::sum);
        long secondTotal = totals.merge(second, (long) secondPoints, Long::sum);
        MatchSettled settlement = new MatchSettled(
                matchId,
                outcome,
                List.of(
                        new Share(first, firstResult, firstPoints, firstTotal),
                        new Share(second, secondResult, secondPoints, secondTotal)),
                occurredAt);
        settled.put(matchId, settlement);
        return List.of(
                write(
                        first,
                        new MatchRecorded(first, matchId, second, firstResult, firstPoints, firstTotal, occurredAt)),
                write(
                        second,
                        new MatchRecorded(second, matchId, first, secondResult, secondPoints, secondTotal, occurredAt)),
                write(Match.streamId(matchId), settlement));
    }

    /** A void as the ledger writes it: each player's reversal, then the match's own stream. */
    List<Written> voidMatch(String matchId) {
        MatchSettled settlement = settled.get(matchId);
        List<Written> written = new ArrayList<>();
        List<Share> reversals = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Share share = settlement.players().get(i);
            String opponent = settlement.players().get(1 - i).playerId();
            long totalAfter = totals.merge(share.playerId(), (long) -share.points(), Long::sum);
            reversals.add(new Share(share.playerId(), share.result(), -share.points(), totalAfter));
            written.add(write(
                    share.playerId(),
                    new MatchVoided(
                            share.playerId(),
                            matchId,
                            opponent,
                            share.result(),
                            -share.points(),
                            "reported by mistake",
                            totalAfter)));
        }
        written.add(write(
                Match.streamId(matchId), new SettlementVoided(matchId, "reported by mistake", List.copyOf(reversals))));
        return written;
    }

    Written defineSeasons(SeasonWindow... seasons) {
        return write("seasons", new SeasonsDefined(List.of(seasons)));
    }

    Written endEarly(String seasonId, Instant end, Instant plannedEnd) {
        return write("seasons", new SeasonEndedEarly(seasonId, end, plannedEnd, "the server was wiped"));
    }

    Written seal(SeasonSeal seal) {
        return write("seasons", new SeasonSealed(seal));
    }

    /** Delivers again what was written (and delivered) before, to every projection: a redelivery after a crash. */
    void redeliver(Written written) {
        for (int i = 0; i < feeds.size(); i++) {
            feeds.get(i).deliver(written.messages().get(i));
        }
    }

    /** Delivers a held event, as a processor's segment does when it gets to it. */
    void deliver(Written written) {
        redeliver(written);
    }

    /** Rebuilds every projection from everything written, as a replay does. */
    void rebuild() {
        feeds.forEach(EventFeed::rebuild);
    }

    /** Every projection's feed, in the order the projections were given. */
    EventFeed feed(int index) {
        return feeds.get(index);
    }

    static int points(MatchResult result) {
        return switch (result) {
            case WIN -> 3;
            case DRAW -> 1;
            case LOSS -> 0;
        };
    }

    private Written write(String streamId, Object event) {
        long sequence = sequences.merge(streamId, 1L, Long::sum) - 1;
        long at = position++;
        if (store != null) {
            store.publish(new GenericDomainEventMessage<>(
                    totals.containsKey(streamId) ? ReadModels.PLAYER_LEDGER : "Stream", streamId, sequence, event));
            return new Written(event, List.of());
        }
        List<TrackedEventMessage<?>> messages = new ArrayList<>();
        for (EventFeed feed : feeds) {
            messages.add(
                    holding ? feed.append(streamId, sequence, at, event) : feed.publish(streamId, sequence, at, event));
        }
        Written written = new Written(event, List.copyOf(messages));
        if (holding) {
            held.add(written);
        }
        return written;
    }
}
