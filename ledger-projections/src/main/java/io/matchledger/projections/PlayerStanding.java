package io.matchledger.projections;

import io.matchledger.core.api.MatchResult;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.PlayerView;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A player's row in the standings. {@code reachedAt} is when the ledger recorded the event that produced the current
 * total (epoch milliseconds), which is how the leaderboard tells who reached a total first; the player id decides
 * between two who reached it in the same millisecond. {@code lastSequence} is the player's stream
 * sequence of the last event applied: an event at or below it is a redelivery and changes nothing.
 */
@Entity
@Table(name = "player_standing")
public class PlayerStanding {

    @Id
    private String playerId;

    private String name;
    private long points;
    private long wins;
    private long draws;
    private long losses;
    private long matches;
    private long reachedAt;
    private long lastSequence;

    protected PlayerStanding() {
        // for JPA
    }

    PlayerStanding(String playerId, String name, long sequence, long reachedAt) {
        this.playerId = playerId;
        this.name = name;
        // Everyone starts at 0; among them, whoever registered first reached 0 first.
        this.reachedAt = reachedAt;
        this.lastSequence = sequence;
    }

    /** As stored, read by the projection's writes of a batch ({@link StandingsTables}). */
    static PlayerStanding stored(
            String playerId,
            String name,
            long points,
            long wins,
            long draws,
            long losses,
            long matches,
            long reachedAt,
            long lastSequence) {
        PlayerStanding standing = new PlayerStanding(playerId, name, lastSequence, reachedAt);
        standing.points = points;
        standing.wins = wins;
        standing.draws = draws;
        standing.losses = losses;
        standing.matches = matches;
        return standing;
    }

    void rename(String newName, long sequence) {
        if (isRedelivery(sequence)) {
            return;
        }
        name = newName;
        lastSequence = sequence;
    }

    void recordMatch(MatchResult result, int awarded, long sequence, long at) {
        if (isRedelivery(sequence)) {
            return;
        }
        switch (result) {
            case WIN -> wins++;
            case DRAW -> draws++;
            case LOSS -> losses++;
        }
        matches++;
        addPoints(awarded, at);
        lastSequence = sequence;
    }

    /**
     * A voided match no longer counts: not in the points, and not as a win, draw, loss or match either, so that the
     * standing reads as if the match had never been played. Its history keeps it, marked voided.
     */
    void voidMatch(MatchResult result, int reversed, long sequence, long at) {
        if (isRedelivery(sequence)) {
            return;
        }
        switch (result) {
            case WIN -> wins--;
            case DRAW -> draws--;
            case LOSS -> losses--;
        }
        matches--;
        addPoints(reversed, at);
        lastSequence = sequence;
    }

    void adjust(int delta, long sequence, long at) {
        if (isRedelivery(sequence)) {
            return;
        }
        addPoints(delta, at);
        lastSequence = sequence;
    }

    private boolean isRedelivery(long sequence) {
        return sequence <= lastSequence;
    }

    private void addPoints(long delta, long at) {
        // A loss awards 0: the total did not change, so neither did the moment it was reached.
        if (delta != 0) {
            points += delta;
            reachedAt = at;
        }
    }

    PlayerView view(long rank) {
        return new PlayerView(playerId, name, points, wins, draws, losses, matches, rank);
    }

    LeaderboardEntry entry(long rank) {
        return new LeaderboardEntry(rank, playerId, name, points, matches);
    }

    public String getPlayerId() {
        return playerId;
    }

    public String getName() {
        return name;
    }

    public long getPoints() {
        return points;
    }

    public long getWins() {
        return wins;
    }

    public long getDraws() {
        return draws;
    }

    public long getLosses() {
        return losses;
    }

    public long getMatches() {
        return matches;
    }

    public long getReachedAt() {
        return reachedAt;
    }

    public long getLastSequence() {
        return lastSequence;
    }
}
