package io.matchledger.projections;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The standings in their tables, written a processor batch at a time ({@link ProcessorBatch}):
 * each player the batch touches is read once, changed in memory by the handlers, and written back with the batch's
 * new players in two JDBC batches; the tally gets one statement per total whose count the batch changed, not two per
 * event. The redelivery rule stays where it was, in {@link PlayerStanding} (an event at or below the last sequence is
 * skipped).
 */
final class StandingsTables {

    static final String STANDINGS = "player_standing";
    static final String TALLIES = "points_tally";

    /**
     * Standings a rebuild holds at most (about 250 bytes each, 60 MB; the limit of ADR 0005): past them it writes what it holds and goes on batch by
     * batch, as before ADR 0012's held rows.
     */
    static final int HOLD_AT_MOST = 250_000;

    private final JdbcTemplate jdbc;
    private final String standings;
    private final String tallies;
    /** A rebuild's rows held across batches ({@link HeldRows}); null for the live model. */
    private final Held held;

    StandingsTables(JdbcTemplate jdbc, TableSet tables) {
        this(jdbc, tables, false);
    }

    StandingsTables(JdbcTemplate jdbc, TableSet tables, boolean hold) {
        this.jdbc = jdbc;
        this.standings = tables.of(STANDINGS);
        this.tallies = tables.of(TALLIES);
        this.held = hold ? new Held(this) : null;
    }

    /** What this copy holds across batches; {@link HeldRows#NONE} for one that writes every batch. */
    HeldRows held() {
        return held == null ? HeldRows.NONE : held;
    }

    Optional<PlayerStanding> find(String playerId) {
        AtomicReference<Optional<PlayerStanding>> found = new AtomicReference<>();
        inBatch(writes -> found.set(writes.find(playerId)));
        return found.get();
    }

    void add(PlayerStanding standing) {
        inBatch(writes -> writes.add(standing));
    }

    /**
     * Drops the player's row (a repair adds it again): deleted when the batch writes, before the rows it adds. The
     * counts at the totals the player stood at and comes to are counted again from the rows, under a lock ({@link
     * Vendor#lockCounts}), not moved by one: a row that diverged may have been counted wrongly too.
     */
    void forget(String playerId) {
        inBatch(writes -> writes.forget(playerId));
    }

    /** Changes how many players stand at a total. */
    void count(long points, long delta) {
        inBatch(writes -> writes.count(points, delta));
    }

    /** Empties the model, for a replay from the first event. */
    void clear() {
        jdbc.update("delete from " + standings);
        jdbc.update("delete from " + tallies);
    }

    private void inBatch(java.util.function.Consumer<Writes> work) {
        // Keyed by table, so that a live batch and a rebuild's batch never share their writes.
        ProcessorBatch.with(Writes.class.getName() + standings, () -> new Writes(this), work);
    }

    /**
     * A rebuild's standings, every player's row in memory from batch to batch and written once before the swap: a
     * player in twenty batches costs one insert instead of a read and an update in each. The tally is counted from
     * the rows when they are written, so it needs nothing held.
     */
    static final class Held extends HeldRows.ByKey<PlayerStanding> {

        private final StandingsTables tables;

        private Held(StandingsTables tables) {
            super(PlayerStanding::playerId, HOLD_AT_MOST);
            this.tables = tables;
        }

        @Override
        protected PlayerStanding copy(PlayerStanding row) {
            return new PlayerStanding(row.row());
        }

        @Override
        protected void insert(List<PlayerStanding> all) {
            tables.jdbc.batchUpdate(
                    StandingRow.insertInto(tables.standings),
                    all,
                    1_000,
                    (sql, standing) -> standing.row().bindInsert(sql));
            Map<Long, Long> counts = new java.util.TreeMap<>();
            all.forEach(standing -> counts.merge(standing.points(), 1L, Long::sum));
            // Added to what the twin may hold already (a batch written before, by a copy that held nothing).
            tables.jdbc.batchUpdate(
                    Vendor.of(tables.jdbc).addToCount(tables.tallies),
                    List.copyOf(counts.entrySet()),
                    1_000,
                    (sql, count) -> {
                        sql.setLong(1, count.getKey());
                        sql.setLong(2, count.getValue());
                        sql.setLong(3, count.getValue());
                    });
        }
    }

    /** One batch's standings: those read (and so possibly changed), those added, and the change of each total. */
    static final class Writes implements ProcessorBatch.Writes {

        private final JdbcTemplate jdbc;
        private final String standings;
        private final String tallies;
        private final Map<String, PlayerStanding> read = new LinkedHashMap<>();
        private final Map<String, PlayerStanding> added = new LinkedHashMap<>();
        private final Map<Long, Long> tallyChanges = new HashMap<>();
        /** Streams of the batch that have no row (yet): a registration of this batch, or an unknown stream. */
        private final Set<String> missing = new HashSet<>();
        /** Players whose row goes before the batch adds any (a repair). */
        private final Set<String> forgotten = new HashSet<>();
        /** Totals whose count is taken again from the rows (a repair's), instead of changed by the batch's moves. */
        private final Set<Long> recount = new java.util.TreeSet<>();

        private boolean preloaded;
        /** The rebuild's held rows, when this batch reads and changes them instead of the tables; else null. */
        private final Held held;

        private Writes(StandingsTables tables) {
            this.jdbc = tables.jdbc;
            this.standings = tables.standings;
            this.tallies = tables.tallies;
            this.held = tables.held != null && tables.held.holding() ? tables.held : null;
        }

        Optional<PlayerStanding> find(String playerId) {
            if (added.containsKey(playerId)) {
                return Optional.of(added.get(playerId));
            }
            if (!read.containsKey(playerId) && !missing.contains(playerId)) {
                // The first read of a batch reads the rows of all its streams; a later miss, just the one.
                load(preloaded ? List.of(playerId) : ProcessorBatch.streamsOfThisBatchAnd(playerId));
                preloaded = true;
            }
            return Optional.ofNullable(read.get(playerId));
        }

        private void load(List<String> playerIds) {
            missing.addAll(playerIds);
            if (held != null) {
                for (String playerId : playerIds) {
                    PlayerStanding standing = held.copyOf(playerId);
                    if (standing != null) {
                        read.put(playerId, standing);
                        missing.remove(playerId);
                    }
                }
                return;
            }
            for (List<String> chunk : ProcessorBatch.chunks(playerIds, ProcessorBatch.IN_LIST)) {
                jdbc.query(
                        "select " + StandingRow.COLUMNS + " from " + standings + " where player_id in ("
                                + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                                + ")",
                        row -> {
                            StandingRow stored = StandingRow.MAPPER.mapRow(row, 0);
                            read.put(stored.playerId(), new PlayerStanding(stored));
                            missing.remove(stored.playerId());
                        },
                        chunk.toArray());
            }
        }

        void add(PlayerStanding standing) {
            added.put(standing.playerId(), standing);
        }

        void forget(String playerId) {
            PlayerStanding standing = read.containsKey(playerId) ? read.get(playerId) : added.get(playerId);
            if (standing != null) {
                recount.add(standing.points());
            }
            read.remove(playerId);
            added.remove(playerId);
            missing.add(playerId);
            forgotten.add(playerId);
        }

        void count(long points, long delta) {
            tallyChanges.merge(points, delta, Long::sum);
        }

        @Override
        public void write() {
            if (held != null) {
                // Nothing written now: the rows join the held ones once this batch (its token) has committed.
                List<PlayerStanding> changed = new ArrayList<>(read.values());
                changed.addAll(added.values());
                ProcessorBatch.afterCommit(() -> held.merge(forgotten, changed));
                return;
            }
            if (!forgotten.isEmpty()) {
                jdbc.batchUpdate(
                        "delete from " + standings + " where player_id = ?",
                        List.copyOf(forgotten),
                        forgotten.size(),
                        (sql, playerId) -> sql.setString(1, playerId));
            }
            if (!added.isEmpty()) {
                jdbc.batchUpdate(
                        StandingRow.insertInto(standings),
                        List.copyOf(added.values()),
                        added.size(),
                        (sql, standing) -> standing.row().bindInsert(sql));
            }
            if (!read.isEmpty()) {
                jdbc.batchUpdate(
                        StandingRow.updateOf(standings),
                        List.copyOf(read.values()),
                        read.size(),
                        (sql, standing) -> standing.row().bindUpdate(sql));
            }
            writeTallies();
        }

        /**
         * Adds each changed total's change to its count, in one statement that inserts a total nobody stood at: several
         * segments do it at once (ADR 0018), so a count is added to, never read and written back, and in one order
         * (by total), so that two batches wait for each other rather than deadlock. A count never goes below 0 (the
         * table's check).
         */
        private void writeTallies() {
            forgotten.forEach(playerId -> {
                if (added.containsKey(playerId)) {
                    recount.add(added.get(playerId).points());
                }
            });
            if (!recount.isEmpty()) {
                // Before any count of this transaction is changed, so that no writer waits for another in a circle.
                jdbc.execute(Vendor.of(jdbc).lockCounts(tallies));
            }
            List<Map.Entry<Long, Long>> changes = new ArrayList<>();
            tallyChanges.forEach((points, delta) -> {
                if (delta != 0 && !recount.contains(points)) {
                    changes.add(Map.entry(points, delta));
                }
            });
            for (long points : recount) {
                jdbc.update("delete from " + tallies + " where points = ?", points);
                jdbc.update(
                        "insert into " + tallies + " (points, players, version) select ?, count(*), 0 from " + standings
                                + " where points = ? having count(*) > 0",
                        points,
                        points);
            }
            if (changes.isEmpty()) {
                return;
            }
            changes.sort(Map.Entry.comparingByKey());
            jdbc.batchUpdate(Vendor.of(jdbc).addToCount(tallies), changes, changes.size(), (sql, change) -> {
                sql.setLong(1, change.getKey());
                sql.setLong(2, change.getValue());
                sql.setLong(3, change.getValue());
            });
        }
    }
}
