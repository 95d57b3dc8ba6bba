package io.matchledger.projections;

import static io.matchledger.projections.LedgerScript.time;
import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.Rebuildable.Rebuilding;
import io.matchledger.projections.api.ReadModelRepair;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The read models' two other ways to their rows, on a migrated H2 without Spring: a rebuild's copies, which write to
 * the twins and hold players across batches (ADR 0012), end with the rows the live models hold; and a repair (ADR
 * 0022), which hands a player's or a match's stream again from a real (in-memory) Axon event store, puts back rows
 * that were lost or changed.
 */
class RebuildAndRepairTest {

    static final SeasonWindow ONE = TwoSeasons.ONE;
    static final SeasonWindow TWO = TwoSeasons.TWO;

    static MigratedH2 db;

    final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
    final EmbeddedEventStore store =
            EmbeddedEventStore.builder().storageEngine(storage).build();
    final PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
    final StandingsProjection standings;
    final HistoryProjection history;
    final MatchesProjection matches;

    {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("eventStore", store);
        var stored = beans.getBeanProvider(EventStore.class);
        standings = new StandingsProjection(db.dataSource, personal, stored);
        history = new HistoryProjection(db.dataSource, stored);
        matches = new MatchesProjection(db.dataSource, stored);
    }

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    @BeforeEach
    void emptyTables() {
        List<String> childrenFirst = new ArrayList<>(tables().toList());
        java.util.Collections.reverse(childrenFirst);
        for (String table : childrenFirst) {
            db.jdbc.update("delete from " + TableSet.REBUILD.of(table));
            db.jdbc.update("delete from " + table);
        }
    }

    @AfterEach
    void closeTheStore() {
        store.shutDown();
    }

    @Test
    void aRebuildThatHoldsRowsAcrossBatchesEndsWithTheRowsOfTheLiveModels() {
        List<Rebuilding> rebuilds = List.of(standings.rebuilding(), history.rebuilding(), matches.rebuilding());
        assertThat(rebuilds.get(0).held().holding()).isTrue();
        assertThat(rebuilds.get(1).held().holding()).isTrue();
        List<Object> projections = new ArrayList<>(List.of(standings, history, matches));
        rebuilds.forEach(rebuild -> projections.add(rebuild.handlers()));
        LedgerScript ledger = new LedgerScript(personal, db.transactions, projections.toArray());

        play(ledger);
        rebuilds.forEach(rebuild -> rebuild.held().writeHeld());

        tables().forEach(table -> assertThat(rows(TableSet.REBUILD.of(table)))
                .as(table)
                .containsExactlyInAnyOrderElementsOf(rows(table)));
        assertThat(rows("player_history")).hasSize(4);
        assertThat(rows("season_standing")).isNotEmpty();
    }

    /**
     * While a rebuild holds, its players stay in memory (their entries and matches are written batch by batch); once
     * written, later batches read and change the twins as the live model does its tables.
     */
    @Test
    void aRebuildHoldsItsPlayersUntilTheyAreWrittenAndThenWritesThroughTheTwins() {
        List<Rebuilding> rebuilds = List.of(standings.rebuilding(), history.rebuilding());
        List<Object> projections = new ArrayList<>(List.of(standings, history));
        rebuilds.forEach(rebuild -> projections.add(rebuild.handlers()));
        LedgerScript ledger = new LedgerScript(personal, db.transactions, projections.toArray());
        ledger.at(1);
        ledger.register("ann", "ANN");
        ledger.register("bob", "BOB");
        ledger.at(10);
        ledger.win("m-1", "ann", "bob", time(100));

        assertThat(rows("player_standing_rebuild")).isEmpty();
        assertThat(rows("player_history_rebuild")).isEmpty();
        assertThat(rows("ledger_entry_rebuild")).hasSize(2);

        rebuilds.forEach(rebuild -> rebuild.held().writeHeld());
        assertThat(rows("player_standing_rebuild")).hasSize(2);
        ledger.draw("m-2", "bob", "ann", time(200));
        ledger.register("cid", "CID");

        for (String table : List.of("player_standing", "points_tally", "player_history", "ledger_entry")) {
            assertThat(rows(TableSet.REBUILD.of(table))).as(table).isEqualTo(rows(table));
        }
        assertThat(rows("player_history_rebuild")).hasSize(3);
    }

    /** A copy writing to the twins without holding anything (as a rebuild's verification reads them) ends the same. */
    @Test
    void aCopyWritingToTheTwinsEndsWithTheRowsOfTheLiveModels() {
        List<Object> projections = new ArrayList<>(List.of(standings, history, matches));
        for (Rebuildable projection : List.<Rebuildable>of(standings, history, matches)) {
            projections.add(projection.writingTo(TableSet.REBUILD));
        }
        LedgerScript ledger = new LedgerScript(personal, db.transactions, projections.toArray());

        play(ledger);

        tables().forEach(table -> assertThat(rows(TableSet.REBUILD.of(table)))
                .as(table)
                .containsExactlyInAnyOrderElementsOf(rows(table)));
        assertThat(rows(TableSet.REBUILD.of("player_history"))).hasSize(4);
    }

    @Test
    void aRepairOfAPlayerPutsBackTheirStandingAndHistoryFromTheirStream() {
        Map<String, List<Map<String, Object>>> before = playedAndStored();
        db.jdbc.update("update player_standing set points = 999, wins = 42, matches = 7 where player_id = 'ann'");
        db.jdbc.update("delete from ledger_entry where player_id = 'ann' and match_id = 'm-2'");
        db.jdbc.update("update ledger_entry set voided = false where player_id = 'ann'");
        db.jdbc.update("update player_history set matches = 1 where player_id = 'ann'");
        assertThat(everyRow()).isNotEqualTo(before);

        repair(ReadModelRepair.ofPlayer("ann", "found unequal to the ledger"));

        assertThat(everyRow()).isEqualTo(before);
    }

    /** The tally had counted the wrong row: the total it stood at is counted again, as is the one it comes to. */
    @Test
    void aRepairOfAPlayerWhoseWrongRowWasCountedPutsBackTheTally() {
        Map<String, List<Map<String, Object>>> before = playedAndStored();
        long points = db.jdbc.queryForObject("select points from player_standing where player_id = 'ann'", Long.class);
        db.jdbc.update("update player_standing set points = 999 where player_id = 'ann'");
        db.jdbc.update("update points_tally set players = players - 1 where points = ?", points);
        db.jdbc.update("insert into points_tally (points, players, version) values (999, 1, 0)");
        assertThat(everyRow()).isNotEqualTo(before);

        repair(ReadModelRepair.ofPlayer("ann", "found unequal to the ledger"));

        assertThat(everyRow()).isEqualTo(before);
    }

    /** A lost standing the tally still counts: the repair does not count the player twice. */
    @Test
    void aRepairOfAPlayerWhoseStandingWasLostCountsThemOnce() {
        Map<String, List<Map<String, Object>>> before = playedAndStored();
        db.jdbc.update("delete from player_standing where player_id = 'cid'");
        assertThat(everyRow()).isNotEqualTo(before);

        repair(ReadModelRepair.ofPlayer("cid", "found unequal to the ledger"));

        assertThat(everyRow()).isEqualTo(before);
    }

    @Test
    void aRepairOfAMatchPutsBackItsLostRow() {
        Map<String, List<Map<String, Object>>> before = playedAndStored();
        db.jdbc.update("delete from match_record where match_id = 'm-4'");

        repair(ReadModelRepair.ofMatch("m-4", "found unequal to the ledger"));

        assertThat(everyRow()).isEqualTo(before);
    }

    /**
     * A repair in the batch that also brings the player's new events (and a void of an earlier match): what the batch
     * held of the player goes, the replay writes it once, and the other player's rows of the batch stay.
     */
    @Test
    void aRepairInTheBatchOfThePlayersNewEventsWritesThemOnce() {
        LedgerScript ledger = new LedgerScript(personal, db.transactions, standings, history, matches);
        List<LedgerScript.Written> written = new ArrayList<>(play(ledger));
        LedgerScript held = ledger.holding();
        held.win("m-5", "ann", "bob", time(300));
        held.voidMatch("m-2");
        List<LedgerScript.Written> inTheBatch = held.held();
        written.addAll(inTheBatch);
        written.forEach(w -> storage.appendEvents(w.messages().get(0)));
        ReadModelRepair repair = ReadModelRepair.ofPlayer("ann", "found unequal to the ledger");
        for (int feed = 0; feed < 3; feed++) {
            List<TrackedEventMessage<?>> batch = new ArrayList<>();
            for (LedgerScript.Written event : inTheBatch) {
                batch.add(event.messages().get(feed));
            }
            batch.add(ledger.feed(feed).append("repairs", repair));
            ledger.feed(feed).deliverTogether(batch);
        }
        Map<String, List<Map<String, Object>>> repaired = everyRow();

        ledger.rebuild();

        assertThat(repaired).isEqualTo(everyRow());
        assertThat(db.jdbc.queryForObject("select matches from player_history where player_id = 'bob'", Long.class))
                .isEqualTo(3);
        assertThat(db.jdbc.queryForObject(
                        "select count(*) from ledger_entry where player_id = 'ann' and kind = 'MATCH'", Long.class))
                .isEqualTo(4);
    }

    /** The same repair again, as a redelivery: nothing moves. */
    @Test
    void aRepairOfRowsThatAreRightChangesNothing() {
        Map<String, List<Map<String, Object>>> before = playedAndStored();

        repair(ReadModelRepair.ofPlayer("bob", "checked"));
        repair(ReadModelRepair.ofMatch("m-1", "checked"));

        assertThat(everyRow()).isEqualTo(before);
    }

    /** A replay from the first event starts from empty tables: rows that were wrong are not taken for redeliveries. */
    @Test
    void aReplayFromTheFirstEventPutsBackRowsThatWereWrong() {
        LedgerScript ledger = new LedgerScript(personal, db.transactions, standings, history, matches);
        play(ledger);
        Map<String, List<Map<String, Object>>> before = everyRow();
        db.jdbc.update("update player_standing set wins = 42 where player_id = 'ann'");
        db.jdbc.update("delete from ledger_entry where player_id = 'ann' and match_id = 'm-2'");
        db.jdbc.update("update match_record set first_points = 99 where match_id = 'm-4'");

        ledger.rebuild();

        assertThat(everyRow()).isEqualTo(before);
    }

    private void repair(ReadModelRepair repair) {
        for (Object projection : List.of(standings, history, matches)) {
            new EventFeed(projection, db.transactions).publish("repairs", repair);
        }
    }

    /** Every row after the matches of {@link #play} were delivered and appended to the store a repair reads. */
    private Map<String, List<Map<String, Object>>> playedAndStored() {
        LedgerScript ledger = new LedgerScript(personal, db.transactions, standings, history, matches);
        play(ledger).forEach(w -> storage.appendEvents(w.messages().get(0)));
        return everyRow();
    }

    /** Four players, seasons, matches in both and after them, a void, an adjustment, a rename; every event kept. */
    private static List<LedgerScript.Written> play(LedgerScript ledger) {
        List<LedgerScript.Written> written = new ArrayList<>();
        ledger.at(1);
        for (String player : List.of("ann", "bob", "cid", "dan")) {
            written.add(ledger.register(player, player.toUpperCase()));
        }
        ledger.at(10);
        written.add(ledger.defineSeasons(ONE, TWO));
        written.addAll(ledger.win("m-1", "ann", "bob", time(100)));
        written.addAll(ledger.draw("m-2", "bob", "ann", time(200)));
        written.add(ledger.adjust("ann", "a-1", 5));
        written.addAll(ledger.win("m-3", "cid", "ann", time(1_500)));
        written.addAll(ledger.voidMatch("m-1"));
        written.addAll(ledger.win("m-4", "dan", "cid", time(2_500)));
        return written;
    }

    private static Stream<String> tables() {
        return Stream.of(StandingsProjection.TABLES, HistoryProjection.TABLES, MatchesProjection.TABLES)
                .flatMap(List::stream);
    }

    private static Map<String, List<Map<String, Object>>> everyRow() {
        Map<String, List<Map<String, Object>>> all = new HashMap<>();
        tables().forEach(table -> all.put(table, rows(table)));
        return all;
    }

    /** A table's rows in a fixed order, without the optimistic-locking version; a tally's empty totals left out. */
    private static List<Map<String, Object>> rows(String table) {
        String where = table.contains("tally") ? " where players <> 0" : "";
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : db.jdbc.queryForList("select * from " + table + where)) {
            Map<String, Object> kept = new java.util.TreeMap<>(row);
            kept.remove("VERSION");
            rows.add(kept);
        }
        rows.sort(java.util.Comparator.comparing(Object::toString));
        return rows;
    }
}
