package io.matchledger.core;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.Registration;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.serialization.Revision;

/**
 * A player's ledger. Its total is the sum of the points of its own events; nothing outside the stream can set it.
 * <p>
 * The state is kept to what the rules need, so a snapshot stays a few bytes however long the history is. Fields
 * are visible to Jackson for snapshots; bump {@link Revision} when their meaning changes, and older snapshots are
 * ignored (the aggregate is then rebuilt from its events).
 */
@Revision("1")
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Player {

    @AggregateIdentifier
    private String playerId;

    private String name;
    private long points;

    protected Player() {
        // for Axon and for snapshots
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Registration handle(RegisterPlayerCommand command) {
        if (command.playerId() == null || !command.playerId().matches(LedgerRules.PLAYER_ID)) {
            throw LedgerRefusal.ruleBroken("playerId does not match " + LedgerRules.PLAYER_ID);
        }
        if (!LedgerRules.isValidName(command.name())) {
            throw LedgerRefusal.ruleBroken("name must be 1-100 characters after trimming, without control characters");
        }
        String newName = command.name().strip();
        if (playerId == null) {
            apply(new PlayerRegistered(command.playerId(), newName));
            return Registration.CREATED;
        }
        if (newName.equals(name)) {
            return Registration.UNCHANGED;
        }
        apply(new PlayerRenamed(playerId, newName));
        return Registration.RENAMED;
    }

    /** Puts a match on this ledger; the caller writes the opponent's ledger in the same unit of work. */
    long recordMatch(String matchId, String opponentId, MatchResult result, Instant occurredAt) {
        int awarded = Scoring.pointsFor(result);
        apply(new MatchRecorded(playerId, matchId, opponentId, result, awarded, points + awarded, occurredAt));
        return points;
    }

    /** Adds or removes points; refuses to take the total below zero. */
    long adjust(String adjustmentId, int delta, String reason) {
        if (points + delta < 0) {
            throw LedgerRefusal.ruleBroken(
                    "adjustment of " + delta + " would take " + playerId + " below zero (total " + points + ")");
        }
        apply(new PointsAdjusted(playerId, adjustmentId, delta, reason, points + delta));
        return points;
    }

    /**
     * Refuses a reversal that would take the total below zero. Called on both ledgers before either is written, so a
     * refusal leaves both as they were.
     */
    void requireCanReverse(String matchId, int awarded) {
        if (points - awarded < 0) {
            throw LedgerRefusal.ruleBroken("voiding match " + matchId + " would take " + playerId
                    + " below zero (total " + points + ", the match gave " + awarded + "); adjust first");
        }
    }

    /** Reverses a match on this ledger; the caller writes the opponent's ledger in the same unit of work. */
    long voidMatch(String matchId, String opponentId, MatchResult result, int awarded, String reason) {
        requireCanReverse(matchId, awarded);
        apply(new MatchVoided(playerId, matchId, opponentId, result, -awarded, reason, points - awarded));
        return points;
    }

    String playerId() {
        return playerId;
    }

    @EventSourcingHandler
    void on(PlayerRegistered event) {
        playerId = event.playerId();
        name = event.name();
        points = 0;
    }

    @EventSourcingHandler
    void on(PlayerRenamed event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(MatchRecorded event) {
        points += event.points();
    }

    @EventSourcingHandler
    void on(MatchVoided event) {
        points += event.points();
    }

    @EventSourcingHandler
    void on(PointsAdjusted event) {
        points += event.points();
    }
}
