package io.matchledger.projections;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.projections.api.PlayerMatch;
import io.matchledger.projections.api.PlayerMatchesPage;
import io.matchledger.projections.api.PlayerMatchesQuery;
import io.matchledger.projections.api.PointsAsOf;
import io.matchledger.projections.api.PointsAsOfQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each player's ledger, entry by entry: their matches (voided ones marked), the voids and the adjustments, each with
 * the total right after it. It answers a player's match history page by page and their total at any past instant.
 * <p>
 * {@code recordedAt} is the event's own timestamp, so a total "as of" an instant is exactly what the ledger held then.
 */
@Component
@ProcessingGroup(HistoryProjection.PROCESSING_GROUP)
public class HistoryProjection {

    public static final String PROCESSING_GROUP = "history";

    private final PlayerHistoryRepository players;
    private final LedgerEntryRepository entries;
    private final JdbcTemplate jdbc;

    public HistoryProjection(PlayerHistoryRepository players, LedgerEntryRepository entries, DataSource dataSource) {
        this.players = players;
        this.entries = entries;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    // Each event changes the batch's writes (HistoryWrites), written when the processor's batch commits. The
    // redelivery rule is PlayerHistory.advanceTo: an event at or below the player's last sequence was applied already.

    @EventHandler
    void on(PlayerRegistered event, @SequenceNumber long sequence) {
        // Registration opens the player's stream: a known player means a redelivery.
        HistoryWrites.inBatch(jdbc, batch -> {
            if (batch.player(event.playerId()) == null) {
                batch.register(new PlayerHistory(event.playerId(), sequence));
            }
        });
    }

    @EventHandler
    void on(MatchRecorded event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        HistoryWrites.inBatch(jdbc, batch -> {
            PlayerHistory player = player(batch, event.playerId());
            if (player.advanceTo(sequence)) {
                batch.add(LedgerEntry.match(event, sequence, player.countMatch(), recordedAt));
                batch.changed(player);
            }
        });
    }

    @EventHandler
    void on(MatchVoided event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        HistoryWrites.inBatch(jdbc, batch -> {
            PlayerHistory player = player(batch, event.playerId());
            if (player.advanceTo(sequence)) {
                batch.add(LedgerEntry.voiding(event, sequence, recordedAt));
                // The match came earlier on the same stream: in this batch, or in the table.
                batch.markVoided(event.playerId(), event.matchId());
                batch.changed(player);
            }
        });
    }

    @EventHandler
    void on(PointsAdjusted event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        HistoryWrites.inBatch(jdbc, batch -> {
            PlayerHistory player = player(batch, event.playerId());
            if (player.advanceTo(sequence)) {
                batch.add(LedgerEntry.adjustment(event, sequence, recordedAt));
                batch.changed(player);
            }
        });
    }

    /** A rebuild starts from empty tables; otherwise every replayed event would look like a redelivery. */
    @ResetHandler
    void reset() {
        entries.deleteAllInBatch();
        players.deleteAllInBatch();
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

    private static PlayerHistory player(HistoryWrites batch, String playerId) {
        // Registration comes first on the same stream, so a missing player means the table lost data: fail loudly.
        PlayerHistory player = batch.player(playerId);
        if (player == null) {
            throw new IllegalStateException("no history for player " + playerId);
        }
        return player;
    }
}
