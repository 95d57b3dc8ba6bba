package io.matchledger.bench;

import io.matchledger.core.Match;
import io.matchledger.core.Scoring;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.Share;
import io.matchledger.core.personal.PersonalData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A large ledger, appended through Axon's event storage engine in big transactions: the same rows the SettlementBoundary
 * writes (each match on both players' streams and as the first event of its own stream, with each stream's sequence
 * numbers in order and every total right), without a command per match.
 * <ul>
 *   <li>{@code readPlayers} players {@code p-0..}: the leaderboard, the player lookups and the lag load;</li>
 *   <li>per history size {@code s}: player {@code history-s} with {@code s} matches against 100 rivals, and ten
 *       sparring partners without any, whom the timed matches are played against;</li>
 *   <li>matches between random {@code p-} players until the store holds at least {@code replayEvents} events.</li>
 * </ul>
 * The totals of the {@code p-} players are kept, so the lag load knows what the read model must show after its match.
 */
final class LedgerSeed {

    static final int RIVALS = 100;
    static final int SPARRING_PARTNERS = 10;

    private final EventStorageEngine storage;
    private final TransactionTemplate transactions;
    private final PersonalData personal;
    private final int batchSize;
    private final Progress progress;
    private final String database;

    private final List<DomainEventMessage<?>> batch = new ArrayList<>();
    private long appended;
    private long planned;

    LedgerSeed(
            EventStorageEngine storage,
            TransactionTemplate transactions,
            PersonalData personal,
            int batchSize,
            Progress progress,
            String database) {
        this.storage = storage;
        this.transactions = transactions;
        this.personal = personal;
        this.batchSize = batchSize;
        this.progress = progress;
        this.database = database;
    }

    /** What was seeded: the events appended, and each {@code p-} player's total. */
    record Seeded(long events, double seconds, long[] readPlayerPoints) {}

    static String readPlayer(int index) {
        return "p-" + index;
    }

    static String historyPlayer(int earlierMatches) {
        return "history-" + earlierMatches;
    }

    static String sparringPartner(int earlierMatches, int index) {
        return "sparring-" + earlierMatches + "-" + index;
    }

    static String rival(int index) {
        return "rival-" + index;
    }

    Seeded seed(int readPlayers, List<Integer> historySizes, long replayEvents) {
        long started = System.nanoTime();
        long historyMatches =
                historySizes.stream().mapToLong(Integer::longValue).sum();
        long fixed = readPlayers + RIVALS + historySizes.size() * (1L + SPARRING_PARTNERS) + 3 * historyMatches;
        long fillerMatches = Math.max(0, (replayEvents - fixed + 2) / 3);
        planned = fixed + 3 * fillerMatches;
        Instant now = Instant.now();

        long[] readSequence = new long[readPlayers];
        long[] readPoints = new long[readPlayers];
        for (int p = 0; p < readPlayers; p++) {
            register(readPlayer(p), "Player " + p);
            readSequence[p] = 1;
        }
        long[] rivalSequence = new long[RIVALS];
        long[] rivalPoints = new long[RIVALS];
        for (int r = 0; r < RIVALS; r++) {
            register(rival(r), "Rival " + r);
            rivalSequence[r] = 1;
        }
        for (int size : historySizes) {
            register(historyPlayer(size), "History " + size);
            for (int s = 0; s < SPARRING_PARTNERS; s++) {
                register(sparringPartner(size, s), "Sparring " + s);
            }
            long points = 0;
            for (int m = 0; m < size; m++) {
                int r = m % RIVALS;
                // Wins, losses and draws in turn.
                MatchResult result = MatchResult.values()[m % 3];
                MatchResult rivalResult = opposite(result);
                points += Scoring.pointsFor(result);
                rivalPoints[r] += Scoring.pointsFor(rivalResult);
                match(
                        "seed-h" + size + "-" + m,
                        historyPlayer(size),
                        m + 1L,
                        result,
                        points,
                        rival(r),
                        rivalSequence[r]++,
                        rivalResult,
                        rivalPoints[r],
                        now);
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        for (long m = 0; m < fillerMatches; m++) {
            int winner = random.nextInt(readPlayers);
            int loser = random.nextInt(readPlayers - 1);
            loser = loser >= winner ? loser + 1 : loser;
            readPoints[winner] += 3;
            match(
                    "seed-" + m,
                    readPlayer(winner),
                    readSequence[winner]++,
                    MatchResult.WIN,
                    readPoints[winner],
                    readPlayer(loser),
                    readSequence[loser]++,
                    MatchResult.LOSS,
                    readPoints[loser],
                    now);
        }
        flush();
        return new Seeded(appended, (System.nanoTime() - started) / 1e9, readPoints);
    }

    private static MatchResult opposite(MatchResult result) {
        return switch (result) {
            case WIN -> MatchResult.LOSS;
            case LOSS -> MatchResult.WIN;
            case DRAW -> MatchResult.DRAW;
        };
    }

    private void register(String playerId, String name) {
        // Sealed under the player's key, made now, as a registration does (ADR 0019).
        add(new GenericDomainEventMessage<>(
                "Player", playerId, 0, new PlayerRegistered(playerId, personal.seal(playerId, name))));
    }

    /** The three events the SettlementBoundary appends for one match, in its order: both ledgers, then the match's stream. */
    private void match(
            String matchId,
            String first,
            long firstSequence,
            MatchResult firstResult,
            long firstTotal,
            String second,
            long secondSequence,
            MatchResult secondResult,
            long secondTotal,
            Instant at) {
        int firstPoints = Scoring.pointsFor(firstResult);
        int secondPoints = Scoring.pointsFor(secondResult);
        add(new GenericDomainEventMessage<>(
                "Player",
                first,
                firstSequence,
                new MatchRecorded(first, matchId, second, firstResult, firstPoints, firstTotal, at)));
        add(new GenericDomainEventMessage<>(
                "Player",
                second,
                secondSequence,
                new MatchRecorded(second, matchId, first, secondResult, secondPoints, secondTotal, at)));
        Share firstShare = new Share(first, firstResult, firstPoints, firstTotal);
        Share secondShare = new Share(second, secondResult, secondPoints, secondTotal);
        // The winner is the first share of a decisive match, as RecordMatchCommand orders them.
        List<Share> shares =
                secondResult == MatchResult.WIN ? List.of(secondShare, firstShare) : List.of(firstShare, secondShare);
        Outcome outcome = firstResult == MatchResult.DRAW ? Outcome.DRAW : Outcome.WIN;
        add(new GenericDomainEventMessage<>(
                "Match", Match.streamId(matchId), 0, new MatchSettled(matchId, outcome, shares, at)));
    }

    private void add(DomainEventMessage<?> event) {
        batch.add(event);
        if (batch.size() >= batchSize) {
            flush();
        }
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        // Stamped now: the store refuses an event made longer than its append bound (5 s) before its append, and a
        // batch of thousands of sealed registrations took longer than that to build on a busy machine (70 s).
        Instant made = Instant.now();
        List<DomainEventMessage<?>> stamped = batch.stream()
                .<DomainEventMessage<?>>map(event -> new GenericDomainEventMessage<>(
                        event.getType(),
                        event.getAggregateIdentifier(),
                        event.getSequenceNumber(),
                        event.getPayload(),
                        event.getMetaData(),
                        event.getIdentifier(),
                        made))
                .toList();
        transactions.executeWithoutResult(status -> storage.appendEvents(stamped));
        appended += batch.size();
        batch.clear();
        progress.note(
                database,
                String.format(
                        Locale.ROOT,
                        "seeded %,d of %,d events (%d%%)",
                        appended,
                        planned,
                        100 * appended / Math.max(1, planned)),
                false);
    }
}
