package io.matchledger.projections;

import io.matchledger.core.api.LedgerRules;
import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PlayerErased;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.PlayerRenamed;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.core.api.SealedName;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.api.ReadModelRepair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
 * Players' totals and the leaderboard, kept from the ledgers' events in {@link StandingsTables}; {@link
 * StandingsQueries} answers from them. The one read model that holds names (every other read takes them from here):
 * a name is opened with the player's key when its event is handled, and once the player is erased, or their key is
 * gone when a rebuild meets their registration, the row holds {@link LedgerRules#ERASED_LABEL} (ADR 0019).
 */
@Component
@ProcessingGroup(ReadModels.PROCESSING_GROUP)
public class StandingsProjection implements Rebuildable {

    /** The read model's name, as the admin API and read-your-writes know it. */
    public static final String NAME = "standings";
    /** Its live tables, parents first ({@link Rebuildable#tables()}). */
    public static final List<String> TABLES = List.of(StandingsTables.STANDINGS, StandingsTables.TALLIES);

    private final JdbcTemplate jdbc;
    private final StandingsTables tables;
    private final PersonalData personal;
    private final ObjectProvider<EventStore> store;

    @Autowired
    StandingsProjection(DataSource dataSource, PersonalData personal, ObjectProvider<EventStore> store) {
        this(new JdbcTemplate(dataSource), TableSet.LIVE, personal, store);
    }

    private StandingsProjection(
            JdbcTemplate jdbc, TableSet tables, PersonalData personal, ObjectProvider<EventStore> store) {
        this(jdbc, new StandingsTables(jdbc, tables), personal, store);
    }

    private StandingsProjection(
            JdbcTemplate jdbc, StandingsTables tables, PersonalData personal, ObjectProvider<EventStore> store) {
        this.jdbc = jdbc;
        this.tables = tables;
        this.personal = personal;
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> tables() {
        return TABLES;
    }

    @Override
    public Object writingTo(TableSet tables) {
        return new StandingsProjection(jdbc, tables, personal, store);
    }

    /** A rebuild reads standings by player only: the leaderboard's order is built last. */
    @Override
    public Map<String, List<String>> indexesBuiltLast() {
        return Map.of(StandingsTables.STANDINGS, List.of("player_standing_leaderboard"));
    }

    /** A rebuild holds every standing in memory across batches and writes each once (ADR 0012). */
    @Override
    public Rebuilding rebuilding() {
        StandingsTables held = new StandingsTables(jdbc, TableSet.REBUILD, true);
        return new Rebuilding(new StandingsProjection(jdbc, held, personal, store), held.held());
    }

    @EventHandler
    void on(PlayerRegistered event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        // Registration is the first event of a player's stream: if the row is there, this is a redelivery.
        if (tables.find(event.playerId()).isEmpty()) {
            tables.add(new PlayerStanding(
                    event.playerId(), shown(event.playerId(), event.name()), sequence, reachedAt(recordedAt)));
            tables.count(0, 1);
        }
    }

    @EventHandler
    void on(PlayerRenamed event, @SequenceNumber long sequence) {
        standing(event.playerId()).rename(shown(event.playerId(), event.name()), sequence);
    }

    @EventHandler
    void on(PlayerErased event, @SequenceNumber long sequence) {
        standing(event.playerId()).rename(LedgerRules.ERASED_LABEL, sequence);
    }

    /** The name to show: opened with the player's key, the neutral label once the key is gone. */
    private String shown(String playerId, SealedName name) {
        return personal.open(playerId, name).orElse(LedgerRules.ERASED_LABEL);
    }

    @EventHandler
    void on(MatchRecorded event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        change(
                event.playerId(),
                standing -> standing.recordMatch(event.result(), event.points(), sequence, reachedAt(recordedAt)));
    }

    @EventHandler
    void on(MatchVoided event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        change(
                event.playerId(),
                standing -> standing.voidMatch(event.result(), event.points(), sequence, reachedAt(recordedAt)));
    }

    @EventHandler
    void on(PointsAdjusted event, @SequenceNumber long sequence, @Timestamp Instant recordedAt) {
        change(event.playerId(), standing -> standing.adjust(event.points(), sequence, reachedAt(recordedAt)));
    }

    /**
     * The player's standing computed again from their whole ledger: the row and its place in the tally are replaced
     * by what the events give, whatever the row held (ADR 0022).
     */
    @EventHandler
    void on(ReadModelRepair repair) {
        if (repair.playerId() == null) {
            return;
        }
        tables.find(repair.playerId()); // read first, so that the total the row stood at is counted again
        tables.forget(repair.playerId());
        StreamReplay.replay(store, repair.playerId(), this);
    }

    /** A rebuild starts from empty tables; otherwise every replayed event would look like a redelivery. */
    @ResetHandler
    void reset() {
        tables.clear();
    }

    /** Applies a change to a player's standing and moves them in the tally by whatever it did to their points. */
    private void change(String playerId, Consumer<PlayerStanding> change) {
        PlayerStanding standing = standing(playerId);
        long before = standing.points();
        change.accept(standing);
        if (before != standing.points()) {
            tables.count(before, -1);
            tables.count(standing.points(), 1);
        }
    }

    private PlayerStanding standing(String playerId) {
        // Registration comes first on the same stream, so a missing row means the table lost data: fail loudly.
        return tables.find(playerId).orElseThrow(() -> new IllegalStateException("no standing for player " + playerId));
    }

    /**
     * When the ledger recorded the event, to the millisecond it is stored with: a fact of the event itself. Its global
     * position would not do: an event that commits late into a gap of the global sequence reaches a live processor
     * with the position the stream has got to by then, not its own, so a rebuild would order ties differently.
     */
    private static long reachedAt(Instant recordedAt) {
        return recordedAt.toEpochMilli();
    }
}
