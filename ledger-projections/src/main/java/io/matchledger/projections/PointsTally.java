package io.matchledger.projections;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

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

    protected PointsTally() {
        // for JPA
    }

    PointsTally(long points, long players) {
        this.points = points;
        this.players = players;
    }

    public long getPoints() {
        return points;
    }

    public long getPlayers() {
        return players;
    }
}
