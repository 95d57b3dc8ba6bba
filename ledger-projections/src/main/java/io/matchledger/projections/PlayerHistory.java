package io.matchledger.projections;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A player known to the history, with how many matches their ledger holds and the sequence of the last event applied:
 * an event at or below it is a redelivery and changes nothing. The count is also the total of a page of matches and
 * numbers each new match, so neither needs a count over the entries.
 */
@Entity
@Table(name = "player_history")
public class PlayerHistory {

    @Id
    private String playerId;

    private long matches;
    private long lastSequence;

    @Version
    private Long version;

    protected PlayerHistory() {
        // for JPA
    }

    PlayerHistory(String playerId, long sequence) {
        this.playerId = playerId;
        this.lastSequence = sequence;
    }

    /** As stored, read by the projection's writes of a batch ({@link HistoryWrites}). */
    static PlayerHistory stored(String playerId, long matches, long lastSequence) {
        PlayerHistory player = new PlayerHistory(playerId, lastSequence);
        player.matches = matches;
        return player;
    }

    /** Whether the event at this sequence is new; if so, it is now the last one applied. */
    boolean advanceTo(long sequence) {
        if (sequence <= lastSequence) {
            return false;
        }
        lastSequence = sequence;
        return true;
    }

    /** Counts a new match and gives its number: 1 for the player's first. */
    long countMatch() {
        return ++matches;
    }

    public String getPlayerId() {
        return playerId;
    }

    public long getMatches() {
        return matches;
    }

    public long getLastSequence() {
        return lastSequence;
    }
}
