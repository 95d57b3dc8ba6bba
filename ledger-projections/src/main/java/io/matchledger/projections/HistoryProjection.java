package io.matchledger.projections;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each player's ledger, entry by entry: their matches (voided ones marked), the voids and the adjustments, each with
 * the total right after it; {@link HistoryQueries} answers from it.
 */
@Component
@ProcessingGroup(HistoryProjection.PROCESSING_GROUP)
public class HistoryProjection implements Rebuildable {

    public static final String PROCESSING_GROUP = "history";
    /** Its live tables, parents first ({@link Rebuildable#tables()}). */
    public static final List<String> TABLES = List.of(HistoryWrites.PLAYERS, HistoryWrites.ENTRIES);

    private final JdbcTemplate jdbc;
    private final TableSet tables;

    @Autowired
    HistoryProjection(DataSource dataSource) {
        this(new JdbcTemplate(dataSource), TableSet.LIVE);
    }

    private HistoryProjection(JdbcTemplate jdbc, TableSet tables) {
        this.jdbc = jdbc;
        this.tables = tables;
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    @Override
    public Object writingTo(TableSet tables) {
        return new HistoryProjection(jdbc, tables);
    }

    // Each event changes the batch's writes (HistoryWrites), written when the processor's batch commits. The
    // redelivery rule is PlayerHistory.advanceTo: an event at or below the player's last sequence was applied already.

    @EventHandler
    void on(PlayerRegistered event, @SequenceNumber long sequence) {
        // Registration opens the player's stream: a known player means a redelivery.
        HistoryWrites.inBatch(jdbc, tables, batch -> {
            if (batch.player(event.playerId()) == null) {
                batch.register(new PlayerHistory(event.playerId(), sequence));
            }
        });
    }

    @EventHandler
    void on(MatchRecorded event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        HistoryWrites.inBatch(jdbc, tables, batch -> {
            PlayerHistory player = player(batch, event.playerId());
            if (player.advanceTo(sequence)) {
                batch.add(LedgerEntry.match(event, sequence, player.countMatch(), recordedAt));
                batch.changed(player);
            }
        });
    }

    @EventHandler
    void on(MatchVoided event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        HistoryWrites.inBatch(jdbc, tables, batch -> {
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
        HistoryWrites.inBatch(jdbc, tables, batch -> {
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
        jdbc.update("delete from " + tables.of(HistoryWrites.ENTRIES));
        jdbc.update("delete from " + tables.of(HistoryWrites.PLAYERS));
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
