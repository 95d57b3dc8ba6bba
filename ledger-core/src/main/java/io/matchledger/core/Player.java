package io.matchledger.core;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.matchledger.core.api.Erasure;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerErased;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.Registration;
import io.matchledger.core.api.SealedName;
import io.matchledger.core.personal.PersonalData;
import java.time.Instant;
import java.util.Locale;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
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
 * ignored (the aggregate is then rebuilt from its events). Revision 2: the name is kept sealed, as the events hold it
 * (ADR 0019); a snapshot of revision 1 held it in plain text, and the upgrade deletes those (V12).
 */
@Revision("2")
@JsonAutoDetect(
        fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Player {

    @AggregateIdentifier
    private String playerId;

    /** Sealed under the player's key, as the events hold it; null once the player was erased. */
    private SealedName name;

    private long points;
    /** When the player's personal data was erased, and why; null while it was not. */
    private Instant erasedAt;

    private String erasureReason;

    protected Player() {
        // for Axon and for snapshots
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public Registration handle(RegisterPlayerCommand command, PersonalData personal) {
        if (command.playerId() == null || !command.playerId().matches(LedgerRules.PLAYER_ID)) {
            throw LedgerRefusal.ruleBroken("playerId does not match " + LedgerRules.PLAYER_ID);
        }
        if (!LedgerRules.isValidName(command.name())) {
            throw LedgerRefusal.ruleBroken("name must be 1-100 characters after trimming, without control characters");
        }
        if (erasedAt != null) {
            // The id stays retired: a new name on it would put someone on an erased person's history.
            throw LedgerRefusal.erased(playerId);
        }
        String newName = command.name().strip();
        if (playerId == null) {
            apply(new PlayerRegistered(command.playerId(), personal.seal(command.playerId(), newName)));
            return Registration.CREATED;
        }
        if (personal.open(playerId, name).filter(newName::equals).isPresent()) {
            return Registration.UNCHANGED;
        }
        apply(new PlayerRenamed(playerId, personal.seal(playerId, newName)));
        return Registration.RENAMED;
    }

    /**
     * Erases the player's personal data: the event here, the key by the caller, in the same unit of work. A player
     * erased before answers with that first erasure. The reason is kept for good, so it must not name the player.
     */
    Erasure erase(String reason, PersonalData personal) {
        if (erasedAt != null) {
            return new Erasure(playerId, erasureReason, erasedAt, true);
        }
        if (name != null
                && personal.open(playerId, name)
                        .filter(current -> mentions(reason, current))
                        .isPresent()) {
            throw LedgerRefusal.ruleBroken(
                    "reason must not contain the player's name: it is kept for good, after the name is erased");
        }
        apply(new PlayerErased(playerId, reason));
        return new Erasure(playerId, reason, erasedAt, false);
    }

    private static boolean mentions(String text, String name) {
        return text.toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT));
    }

    /** Refuses a new match for an erased player; called on both ledgers before either is written. */
    void requirePlayable() {
        if (erasedAt != null) {
            throw LedgerRefusal.erased(playerId);
        }
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
    void on(PlayerErased event, @Timestamp Instant erasedAt) {
        this.name = null;
        this.erasedAt = erasedAt;
        this.erasureReason = event.reason();
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
