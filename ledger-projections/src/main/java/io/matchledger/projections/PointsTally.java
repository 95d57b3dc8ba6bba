package io.matchledger.projections;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * How many players stand at each total. A rank is the players on higher totals plus those ahead on the same total;
 * summing this table for the first part keeps a rank cheap however many players are above, where counting the
 * players themselves would cost one index entry per player ahead.
 */
@Entity
@Table(name = "points_tally")
public class PointsTally {

    @Id
    private long points;

    private long players;
    /**
     * Two writers of one total (several segments, or a rebuild racing a stale owner) fail and retry, not overwrite.
     * Null until stored, which is also how Spring Data tells a new tally without asking the database.
     */
    @Version
    private Long version;

    protected PointsTally() {
        // for JPA
    }

    /** A total nobody stood at before. */
    static PointsTally startAt(long points) {
        PointsTally tally = new PointsTally();
        tally.points = points;
        return tally;
    }

    void add(long delta) {
        if (players + delta < 0) {
            throw new IllegalStateException("no players counted at " + points + " points to take one from");
        }
        players += delta;
    }

    public long getPoints() {
        return points;
    }

    public long getPlayers() {
        return players;
    }
}
