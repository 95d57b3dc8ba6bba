package io.matchledger.projections;

import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.util.List;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The three rebuildable projections over a {@link MigratedH2}, built as the service builds them, for other packages. */
public final class HandBuiltProjections {

    private HandBuiltProjections() {}

    /** Standings, matches and history, in the order the service lists them; no event store behind them. */
    public static List<Rebuildable> on(MigratedH2 db) {
        var noStore = new StaticListableBeanFactory().getBeanProvider(EventStore.class);
        return List.of(
                new StandingsProjection(db.dataSource, new PersonalData(new PlayerKeyTable(db.dataSource)), noStore),
                new MatchesProjection(db.dataSource, noStore),
                new HistoryProjection(db.dataSource, noStore));
    }
}
