package io.matchledger.core;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentBooked;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchAnswer;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import io.matchledger.core.api.Share;
import io.matchledger.core.api.VoidMatchCommand;
import io.matchledger.core.api.VoidReceipt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.SpanFactory;

/**
 * The consistency boundary of a settlement: a match is decided over three streams (its own and its two players'
 * ledgers), which no single aggregate spans, so this handler is where they are decided together. (Named for that; an
 * adjustment, its key stream and its player's ledger, is decided here under the same lock order.)
 * <p>
 * Writes the commands that touch more than one stream. Everything one command applies lands in one unit of work,
 * which the event store appends in one transaction: a match is on both ledgers and on its own stream, or nowhere.
 * <p>
 * Idempotency keys are the first events of their own streams ({@link Match}, {@link Adjustment}). Two concurrent
 * first attempts both try to append event 0 of the same stream; the store accepts one and the other fails with a
 * concurrency error, is retried by the command gateway, and then finds the match and answers as a retry.
 * <p>
 * <b>The lock order</b> (ADR 0001), the one rule for every command here, single or grouped: a command locks the player
 * ledgers it touches, all of them before it decides anything, in ascending id order, and takes no other lock in this
 * process. Key streams ({@code match:}, {@code adjustment:}) are read and created without a lock ({@link LedgerModule}
 * gives their repositories none): their first event never changes, a match's second event (its void) is written only
 * under both players' locks, and the store's unique (stream, sequence) key settles any race on them, here as across
 * processes. So a void reads which players its match has before it locks anything, and an adjustment locks its player
 * before it looks for its key. Locks taken in one order by everyone cannot wait for each other in a cycle. (The
 * database's key locks are another matter: an append takes them in the order its events were applied, and two
 * processes that append the same keys in other orders deadlock there, which the engine reports as a lost race.)
 */
public class SettlementBoundary {

    private final Repository<Player> players;
    private final Repository<Match> matches;
    private final Repository<Adjustment> adjustments;
    private final EventStore eventStore;
    private final SpanFactory spans;

    public SettlementBoundary(
            Repository<Player> players,
            Repository<Match> matches,
            Repository<Adjustment> adjustments,
            EventStore eventStore) {
        this(players, matches, adjustments, eventStore, NoOpSpanFactory.INSTANCE);
    }

    /**
     * {@code spans}: each match of a group is decided in a span of its own request's trace (its command's metadata
     * carries that context), so the events it appends carry its request's trace, not the group's.
     */
    public SettlementBoundary(
            Repository<Player> players,
            Repository<Match> matches,
            Repository<Adjustment> adjustments,
            EventStore eventStore,
            SpanFactory spans) {
        this.spans = spans;
        this.players = players;
        this.matches = matches;
        this.adjustments = adjustments;
        this.eventStore = eventStore;
    }

    @CommandHandler
    public MatchSettlement handle(RecordMatchCommand command) throws Exception {
        return record(command, ledgersNamedBy(List.of(command)), new HashMap<>());
    }

    /**
     * Records each match of the group as {@link #handle(RecordMatchCommand)} would, in this one unit of work. Every
     * ledger the group names is loaded, and so locked, first and in one global order (by id), so that groups and
     * single commands naming the same players never deadlock each other. A refusal is that match's answer and leaves
     * nothing behind: every refusal is decided before its match applies an event. Each match's events carry the
     * metadata of its own command: the unit of work stands on that command while it is decided, which is where
     * Axon's correlation data providers read it.
     */
    @CommandHandler
    public List<MatchAnswer> handle(RecordMatchesCommand group) throws Exception {
        Map<String, Aggregate<Player>> ledgers = ledgersNamedBy(
                group.matches().stream().map(RecordMatchesCommand.Entry::match).toList());
        Map<String, Aggregate<Match>> recordedHere = new HashMap<>();
        @SuppressWarnings("unchecked")
        UnitOfWork<Message<?>> unitOfWork = (UnitOfWork<Message<?>>) CurrentUnitOfWork.get();
        Message<?> groupMessage = unitOfWork.getMessage();
        List<MatchAnswer> answers = new ArrayList<>(group.matches().size());
        try {
            for (RecordMatchesCommand.Entry entry : group.matches()) {
                Message<?> matchMessage =
                        GenericCommandMessage.asCommandMessage(entry.match()).andMetaData(entry.metaData());
                unitOfWork.transformMessage(current -> matchMessage);
                try {
                    answers.add(MatchAnswer.recorded(
                            spans.createChildHandlerSpan(() -> "SettlementBoundary.recordMatch", matchMessage)
                                    .runCallable(() -> record(entry.match(), ledgers, recordedHere))));
                } catch (LedgerRefusal refusal) {
                    answers.add(MatchAnswer.refused(refusal));
                }
            }
        } finally {
            unitOfWork.transformMessage(current -> groupMessage);
        }
        return answers;
    }

    /**
     * Decides one match against ledgers loaded beforehand. {@code recordedHere} holds the matches this unit of work
     * has recorded so far: not in the store until it commits, but a retry of one of them must find it all the same.
     */
    private MatchSettlement record(
            RecordMatchCommand command,
            Map<String, Aggregate<Player>> ledgers,
            Map<String, Aggregate<Match>> recordedHere)
            throws Exception {
        require(
                command.matchId() != null && command.matchId().matches(LedgerRules.MATCH_ID),
                "matchId does not match " + LedgerRules.MATCH_ID);
        require(command.outcome() != null, "outcome is required");
        require(command.firstPlayerId() != null && command.secondPlayerId() != null, "two players are required");

        Optional<Aggregate<Match>> earlier = Optional.ofNullable(recordedHere.get(command.matchId()))
                .or(() -> findKey(matches, Match.streamId(command.matchId())));
        if (earlier.isPresent()) {
            return earlier.get().invoke(match -> match.confirmRetry(command));
        }
        String firstId = command.firstPlayerId();
        String secondId = command.secondPlayerId();
        require(!firstId.equals(secondId), LedgerRules.SELF_MATCH);
        Aggregate<Player> first = loaded(ledgers, firstId);
        Aggregate<Player> second = loaded(ledgers, secondId);

        Instant now = GenericEventMessage.clock.instant();
        Instant occurredAt = command.occurredAt() != null ? command.occurredAt() : now;
        // A match from the future would land in a season before it starts, where its close no longer protects it.
        require(
                !occurredAt.isAfter(now.plus(LedgerRules.CLOCK_SKEW)),
                "occurredAt " + occurredAt + " is in the future");
        // An erased player plays no more (ADR 0019); decided on both before either ledger is written.
        first.execute(Player::requirePlayable);
        second.execute(Player::requirePlayable);
        MatchResult firstResult = Scoring.firstPlayersResult(command.outcome());
        MatchResult secondResult = Scoring.secondPlayersResult(command.outcome());
        long firstTotal = first.invoke(p -> p.recordMatch(command.matchId(), secondId, firstResult, occurredAt));
        long secondTotal = second.invoke(p -> p.recordMatch(command.matchId(), firstId, secondResult, occurredAt));

        List<Share> shares = List.of(
                new Share(firstId, firstResult, Scoring.pointsFor(firstResult), firstTotal),
                new Share(secondId, secondResult, Scoring.pointsFor(secondResult), secondTotal));
        MatchSettled settled = new MatchSettled(command.matchId(), command.outcome(), shares, occurredAt);
        Aggregate<Match> match = matches.newInstance(() -> new Match(settled));
        recordedHere.put(command.matchId(), match);
        return match.invoke(recorded -> recorded.settlement(false));
    }

    /**
     * The registered ledgers among the players these matches name, loaded (and so locked) in id order. Ids that are
     * not player ids, or players that are not registered, are left out: the match that names them is refused.
     */
    private Map<String, Aggregate<Player>> ledgersNamedBy(List<RecordMatchCommand> commands) {
        SortedSet<String> named = new TreeSet<>();
        for (RecordMatchCommand command : commands) {
            for (String playerId : new String[] {command.firstPlayerId(), command.secondPlayerId()}) {
                if (playerId != null && playerId.matches(LedgerRules.PLAYER_ID)) {
                    named.add(playerId);
                }
            }
        }
        Map<String, Aggregate<Player>> ledgers = new HashMap<>();
        for (String playerId : named) {
            find(players, playerId).ifPresent(ledger -> ledgers.put(playerId, ledger));
        }
        return ledgers;
    }

    private static Aggregate<Player> loaded(Map<String, Aggregate<Player>> ledgers, String playerId) {
        require(playerId.matches(LedgerRules.PLAYER_ID), "playerId does not match " + LedgerRules.PLAYER_ID);
        Aggregate<Player> ledger = ledgers.get(playerId);
        if (ledger == null) {
            throw LedgerRefusal.notFound("player " + playerId + " is not registered");
        }
        return ledger;
    }

    /**
     * Reverses a match on both ledgers and marks its own stream voided, in one unit of work. A match is voided once:
     * any later void of it answers the first, whatever its reason. A void that would take a total below zero is
     * refused and changes nothing (decision 0002): the points are gone, and an admin adjusts first.
     */
    @CommandHandler
    public VoidReceipt handle(VoidMatchCommand command) throws Exception {
        require(
                command.matchId() != null && command.matchId().matches(LedgerRules.MATCH_ID),
                "matchId does not match " + LedgerRules.MATCH_ID);
        require(
                LedgerRules.isValidReason(command.reason()),
                "reason must be 1-" + LedgerRules.REASON_MAX + " characters, without control characters");

        String streamId = Match.streamId(command.matchId());
        // The players first (the lock order): the match's first event names them and never changes, so it is read
        // without a lock; the match itself is loaded once both ledgers are held, so a void that another command
        // committed meanwhile is seen.
        MatchSettled settled = settlementOf(streamId)
                .orElseThrow(() -> LedgerRefusal.notFound("match " + command.matchId() + " is not recorded"));
        Share firstShare = settled.players().get(0);
        Share secondShare = settled.players().get(1);
        List<Aggregate<Player>> ledgers = ledgersOf(firstShare.playerId(), secondShare.playerId());
        Aggregate<Match> match = matches.load(streamId);
        if (match.invoke(Match::isVoided)) {
            return match.invoke(voided -> voided.voiding(true));
        }
        // Both ledgers are checked before either is written: a refusal must leave both exactly as they were.
        ledgers.get(0).execute(p -> p.requireCanReverse(command.matchId(), firstShare.points()));
        ledgers.get(1).execute(p -> p.requireCanReverse(command.matchId(), secondShare.points()));

        String reason = command.reason().strip();
        List<Share> reversals = List.of(
                reverse(ledgers.get(0), command.matchId(), firstShare, secondShare, reason),
                reverse(ledgers.get(1), command.matchId(), secondShare, firstShare, reason));
        return match.invoke(open -> open.voidSettlement(reason, reversals));
    }

    private static Share reverse(Aggregate<Player> ledger, String matchId, Share share, Share opponent, String reason) {
        long total =
                ledger.invoke(p -> p.voidMatch(matchId, opponent.playerId(), share.result(), share.points(), reason));
        return new Share(share.playerId(), share.result(), -share.points(), total);
    }

    @CommandHandler
    public AdjustmentReceipt handle(AdjustPointsCommand command) throws Exception {
        require(
                command.adjustmentId() != null && command.adjustmentId().matches(LedgerRules.ADJUSTMENT_ID),
                "adjustmentId does not match " + LedgerRules.ADJUSTMENT_ID);
        require(command.playerId() != null, "playerId is required");
        require(
                LedgerRules.isValidReason(command.reason()),
                "reason must be 1-" + LedgerRules.REASON_MAX + " characters, without control characters");
        require(command.points() != 0, "points must not be zero");

        // The player's ledger first (the lock order), then the key: a concurrent first attempt of the same adjustment
        // has committed by the time this one holds the ledger, and is found. A retry that names another player, even
        // one that does not exist, is still a conflict, as a match's is.
        Optional<Aggregate<Player>> ledger = command.playerId().matches(LedgerRules.PLAYER_ID)
                ? find(players, command.playerId())
                : Optional.empty();
        Optional<Aggregate<Adjustment>> earlier = findKey(adjustments, Adjustment.streamId(command.adjustmentId()));
        if (earlier.isPresent()) {
            return earlier.get().invoke(adjustment -> adjustment.confirmRetry(command));
        }
        String reason = command.reason().strip();
        long total = ledger.orElseGet(() -> player(command.playerId()))
                .invoke(p -> p.adjust(command.adjustmentId(), command.points(), reason));
        AdjustmentBooked booked =
                new AdjustmentBooked(command.adjustmentId(), command.playerId(), command.points(), reason, total);
        return adjustments.newInstance(() -> new Adjustment(booked)).invoke(adjustment -> adjustment.receipt(false));
    }

    /**
     * Both players' ledgers, in the order asked, but loaded (and so locked) in one global order, so that two commands
     * naming the same two players in opposite order cannot deadlock each other.
     */
    private List<Aggregate<Player>> ledgersOf(String firstId, String secondId) {
        boolean firstLocksFirst = firstId.compareTo(secondId) < 0;
        Aggregate<Player> lockedFirst = player(firstLocksFirst ? firstId : secondId);
        Aggregate<Player> lockedSecond = player(firstLocksFirst ? secondId : firstId);
        return firstLocksFirst ? List.of(lockedFirst, lockedSecond) : List.of(lockedSecond, lockedFirst);
    }

    private Aggregate<Player> player(String playerId) {
        // Only a player id names a ledger: "match:m-1" would load the match's own stream as if it were a player's.
        require(playerId.matches(LedgerRules.PLAYER_ID), "playerId does not match " + LedgerRules.PLAYER_ID);
        return find(players, playerId)
                .orElseThrow(() -> LedgerRefusal.notFound("player " + playerId + " is not registered"));
    }

    /**
     * A key stream is new on almost every command. Asking the store for its last sequence number is one indexed
     * query; loading a stream that does not exist costs two and an exception that Axon logs as a warning.
     */
    private <T> Optional<Aggregate<T>> findKey(Repository<T> repository, String streamId) {
        return eventStore.lastSequenceNumberFor(streamId).isPresent() ? find(repository, streamId) : Optional.empty();
    }

    /** A match's first event, read from its stream without loading (or locking) the match. */
    private Optional<MatchSettled> settlementOf(String streamId) {
        return eventStore.readEvents(streamId).asStream().findFirst().map(first -> (MatchSettled) first.getPayload());
    }

    private static <T> Optional<Aggregate<T>> find(Repository<T> repository, String id) {
        try {
            return Optional.of(repository.load(id));
        } catch (AggregateNotFoundException notFound) {
            return Optional.empty();
        }
    }

    private static void require(boolean rule, String message) {
        if (!rule) {
            throw LedgerRefusal.ruleBroken(message);
        }
    }
}
