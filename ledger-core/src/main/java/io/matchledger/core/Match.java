package io.matchledger.core;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.core.api.Share;
import io.matchledger.core.api.VoidReceipt;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

/**
 * A match's own stream. It exists so that a match id is a durable, global idempotency key: the event store refuses
 * a second first event for the same aggregate, across restarts and processes, without any set of ids in memory.
 */
public class Match {

    private static final String PREFIX = "match:";

    @AggregateIdentifier
    private String id;

    private MatchSettled settled;
    private Instant recordedAt;
    private SettlementVoided voided;
    private Instant voidedAt;

    protected Match() {
        // for Axon
    }

    Match(MatchSettled settled) {
        apply(settled);
    }

    /** Player ids cannot contain ':', so this never collides with a player's stream. */
    public static String streamId(String matchId) {
        return PREFIX + matchId;
    }

    /** The original answer for an identical retry; a refusal when the same id comes with other content. */
    MatchSettlement confirmRetry(RecordMatchCommand command) {
        boolean samePlayers = switch (command.outcome()) {
            case WIN ->
                command.firstPlayerId().equals(share(0).playerId())
                        && command.secondPlayerId().equals(share(1).playerId());
            // Set.of throws on duplicates; a self-match is never the match that was recorded.
            case DRAW ->
                !command.firstPlayerId().equals(command.secondPlayerId())
                        && Set.of(share(0).playerId(), share(1).playerId())
                                .equals(Set.of(command.firstPlayerId(), command.secondPlayerId()));
        };
        boolean sameTime = command.occurredAt() == null || command.occurredAt().equals(settled.occurredAt());
        if (command.outcome() != settled.outcome() || !samePlayers || !sameTime) {
            throw LedgerRefusal.conflict("match " + settled.matchId() + " was already recorded with other content");
        }
        return settlement(true);
    }

    MatchSettlement settlement(boolean replayed) {
        return new MatchSettlement(
                settled.matchId(),
                settled.outcome(),
                List.copyOf(settled.players()),
                settled.occurredAt(),
                recordedAt,
                replayed);
    }

    boolean isVoided() {
        return voided != null;
    }

    /** A match is voided once; the void is its second event and can never be undone. */
    VoidReceipt voidSettlement(String reason, List<Share> reversals) {
        if (isVoided()) {
            throw new IllegalStateException("match " + settled.matchId() + " is voided already");
        }
        apply(new SettlementVoided(settled.matchId(), reason, List.copyOf(reversals)));
        return voiding(false);
    }

    VoidReceipt voiding(boolean replayed) {
        return new VoidReceipt(voided.matchId(), voided.reason(), List.copyOf(voided.reversals()), voidedAt, replayed);
    }

    private Share share(int index) {
        return settled.players().get(index);
    }

    @EventSourcingHandler
    void on(MatchSettled event, @Timestamp Instant timestamp) {
        id = streamId(event.matchId());
        settled = event;
        // The event store keeps timestamps to the millisecond; so does the answer, so that the first answer and a
        // replay loaded from the store are the same.
        recordedAt = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    @EventSourcingHandler
    void on(SettlementVoided event, @Timestamp Instant timestamp) {
        voided = event;
        voidedAt = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }
}
