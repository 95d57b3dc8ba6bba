package io.matchledger.projections;

import io.matchledger.projections.api.PlayerMatch;
import io.matchledger.projections.api.PlayerMatchesPage;
import io.matchledger.projections.api.PlayerMatchesQuery;
import io.matchledger.projections.api.PointsAsOf;
import io.matchledger.projections.api.PointsAsOfQuery;
import java.util.List;
import java.util.Optional;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/**
 * A player's match history page by page and their total at any past instant, as {@link HistoryProjection} keeps them.
 * {@code recordedAt} is the event's own timestamp, so a total "as of" an instant is exactly what the ledger held then.
 */
@Component
public class HistoryQueries {

    private final PlayerHistoryRepository players;
    private final LedgerEntryRepository entries;

    public HistoryQueries(PlayerHistoryRepository players, LedgerEntryRepository entries) {
        this.players = players;
        this.entries = entries;
    }

    @QueryHandler
    public Optional<PlayerMatchesPage> handle(PlayerMatchesQuery query) {
        int page = Math.max(0, query.page());
        int size = Math.max(0, query.size());
        return players.findById(query.playerId()).map(player -> {
            // Newest first: page 0 holds match numbers total, total - 1, ...; the numbers are dense, so a page is a
            // range of them and not an offset into the player's entries.
            long last = player.getMatches() - (long) page * size;
            long first = Math.max(1, last - size + 1);
            List<PlayerMatch> items = size == 0 || last < 1
                    ? List.of()
                    : entries.matchesNumbered(player.getPlayerId(), first, last).stream()
                            .map(LedgerEntry::match)
                            .toList();
            return new PlayerMatchesPage(player.getPlayerId(), page, size, player.getMatches(), items);
        });
    }

    @QueryHandler
    public Optional<PointsAsOf> handle(PointsAsOfQuery query) {
        return players.findById(query.playerId())
                .map(player -> new PointsAsOf(
                        player.getPlayerId(),
                        query.asOf(),
                        entries.totalAsOf(player.getPlayerId(), query.asOf()).orElse(0L)));
    }
}
