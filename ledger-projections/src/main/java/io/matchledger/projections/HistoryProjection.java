package io.matchledger.projections;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.projections.api.ReadModelRepair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each player's ledger, entry by entry: their matches (voided ones marked), the voids and the adjustments, each with
 * the total right after it; {@link HistoryQueries} answers from it.
 */
@Component
@ProcessingGroup(ReadModels.PROCESSING_GROUP)
public class HistoryProjection implements Rebuildable {

    /** The read model's name, as the admin API and read-your-writes know it. */
    public static final String NAME = "history";
    /** Its live tables, parents first ({@link Rebuildable#tables()}). */
    public static final List<String> TABLES = List.of(HistoryWrites.PLAYERS, HistoryWrites.ENTRIES);

    private final JdbcTemplate jdbc;
    private final TableSet tables;
    private final ObjectProvider<EventStore> store;
    /** A rebuild's players held across batches (ADR 0012); null for the live model. */
    private final HistoryWrites.Held held;

    @Autowired
    HistoryProjection(DataSource dataSource, ObjectProvider<EventStore> store) {
        this(new JdbcTemplate(dataSource), TableSet.LIVE, store, null);
    }

    private HistoryProjection(
            JdbcTemplate jdbc, TableSet tables, ObjectProvider<EventStore> store, HistoryWrites.Held held) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.store = store;
        this.held = held;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    /** A rebuild reads entries only by player and match (a void marks its match): the other two are built last. */
    @Override
    public Map<String, List<String>> indexesBuiltLast() {
        return Map.of(HistoryWrites.ENTRIES, List.of("ledger_entry_matches", "ledger_entry_as_of"));
    }

    @Override
    public Object writingTo(TableSet tables) {
        return new HistoryProjection(jdbc, tables, store, null);
    }

    /** A rebuild holds every player's count in memory across batches and writes each once (ADR 0012). */
    @Override
    public Rebuilding rebuilding() {
        HistoryWrites.Held players = new HistoryWrites.Held(jdbc, TableSet.REBUILD);
        return new Rebuilding(new HistoryProjection(jdbc, TableSet.REBUILD, store, players), players);
    }

    // Each event changes the batch's writes (HistoryWrites), written when the processor's batch commits. The
    // redelivery rule is PlayerHistory.advanceTo: an event at or below the player's last sequence was applied already.

    @EventHandler
    void on(PlayerRegistered event, @SequenceNumber long sequence) {
        // Registration opens the player's stream: a known player means a redelivery.
        HistoryWrites.inBatch(jdbc, tables, held, batch -> {
            if (batch.player(event.playerId()) == null) {
                batch.register(new PlayerHistory(event.playerId(), sequence));
            }
        });
    }

    @EventHandler
    void on(MatchRecorded event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        HistoryWrites.inBatch(jdbc, tables, held, batch -> {
            PlayerHistory player = player(batch, event.playerId());
            if (player.advanceTo(sequence)) {
                batch.add(LedgerEntry.match(event, sequence, player.countMatch(), recordedAt));
                batch.changed(player);
            }
        });
    }

    @EventHandler
    void on(MatchVoided event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        HistoryWrites.inBatch(jdbc, tables, held, batch -> {
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
        HistoryWrites.inBatch(jdbc, tables, held, batch -> {
            PlayerHistory player = player(batch, event.playerId());
            if (player.advanceTo(sequence)) {
                batch.add(LedgerEntry.adjustment(event, sequence, recordedAt));
                batch.changed(player);
            }
        });
    }

    /** The player's history written again from their whole ledger, whatever its rows held (ADR 0022). */
    @EventHandler
    void on(ReadModelRepair repair) {
        if (repair.playerId() == null) {
            return;
        }
        HistoryWrites.inBatch(jdbc, tables, held, batch -> batch.forget(repair.playerId()));
        StreamReplay.replay(store, repair.playerId(), this);
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
