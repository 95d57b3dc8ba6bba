package io.matchledger.projections;

import io.matchledger.core.api.MatchResult;

/**
 * The rules that change a player's standing, over one row ({@link StandingRow}, which owns the columns and their
 * mapping): a match, a voided match, an adjustment, a new name. An event at or below the row's last sequence is a
 * redelivery and changes nothing. A loss awards 0 and leaves {@code reachedAt} as it was.
 */
final class PlayerStanding {

    private final String playerId;
    private String name;
    private long points;
    private long wins;
    private long draws;
    private long losses;
    private long matches;
    private long reachedAt;
    private long lastSequence;

    PlayerStanding(String playerId, String name, long sequence, long reachedAt) {
        this.playerId = playerId;
        this.name = name;
        // Everyone starts at 0; among them, whoever registered first reached 0 first.
        this.reachedAt = reachedAt;
        this.lastSequence = sequence;
    }

    /** A stored row, to be changed by the rules below. */
    PlayerStanding(StandingRow row) {
        this(row.playerId(), row.name(), row.lastSequence(), row.reachedAt());
        this.points = row.points();
        this.wins = row.wins();
        this.draws = row.draws();
        this.losses = row.losses();
        this.matches = row.matches();
    }

    /** The row as it stands now, to be written. */
    StandingRow row() {
        return new StandingRow(playerId, name, points, wins, draws, losses, matches, reachedAt, lastSequence);
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

    String playerId() {
        return playerId;
    }

    long points() {
        return points;
    }
}
