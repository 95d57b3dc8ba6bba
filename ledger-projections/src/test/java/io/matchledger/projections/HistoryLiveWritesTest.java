package io.matchledger.projections;

import static io.matchledger.projections.LedgerScript.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.personal.PlayerKeyTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The players' histories on their live write path ({@link HistoryWrites} under {@link HistoryProjection}) without
 * Spring, on a migrated H2: each ledger event one entry at its sequence, matches numbered, a void marking the match it
 * reverses (in the same batch or an earlier one), redeliveries skipped, and a batch that fails writing nothing.
 */
class HistoryLiveWritesTest {

    static MigratedH2 db;

    HistoryProjection history;
    LedgerScript ledger;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    @BeforeEach
    void twoPlayers() {
        for (String table : List.of("ledger_entry", "player_history", "player_key")) {
            db.jdbc.update("delete from " + table);
        }
        history =
                new HistoryProjection(db.dataSource, new StaticListableBeanFactory().getBeanProvider(EventStore.class));
        ledger = new LedgerScript(new PersonalData(new PlayerKeyTable(db.dataSource)), db.transactions, history);
        ledger.register("ann", "Ann");
        ledger.register("bob", "Bob");
    }

    private List<Map<String, Object>> entries(String playerId) {
        return db.jdbc.queryForList(
                "select sequence, kind, points, total_after, match_number, match_id, voided from ledger_entry "
                        + "where player_id = ? order by sequence",
                playerId);
    }

    private Map<String, Object> player(String playerId) {
        return db.jdbc.queryForMap("select matches, last_sequence from player_history where player_id = ?", playerId);
    }

    @Test
    void eachEventIsOneEntryAtItsSequenceAndAVoidMarksTheMatchItReverses() {
        ledger.win("m-1", "ann", "bob", time(100));
        ledger.draw("m-2", "bob", "ann", time(200));
        ledger.adjust("ann", "adj-1", 5);
        ledger.voidMatch("m-1");

        assertThat(entries("ann"))
                .extracting(
                        row -> row.get("SEQUENCE"),
                        row -> row.get("KIND"),
                        row -> row.get("POINTS"),
                        row -> row.get("TOTAL_AFTER"),
                        row -> row.get("MATCH_NUMBER"),
                        row -> row.get("VOIDED"))
                .containsExactly(
                        tuple(1L, "MATCH", 3, 3L, 1L, true),
                        tuple(2L, "MATCH", 1, 4L, 2L, false),
                        tuple(3L, "ADJUSTMENT", 5, 9L, null, false),
                        tuple(4L, "VOID", -3, 6L, null, false));
        assertThat(entries("bob"))
                .extracting(row -> row.get("KIND"), row -> row.get("MATCH_ID"), row -> row.get("VOIDED"))
                .containsExactly(
                        tuple("MATCH", "m-1", true), tuple("MATCH", "m-2", false), tuple("VOID", "m-1", false));
        assertThat(player("ann")).containsEntry("MATCHES", 2L).containsEntry("LAST_SEQUENCE", 4L);
        assertThat(player("bob")).containsEntry("MATCHES", 2L).containsEntry("LAST_SEQUENCE", 3L);
    }

    @Test
    void anAdjustmentMovesThePlayersLastSequenceSoItsRedeliveryIsSkipped() {
        ledger.win("m-1", "ann", "bob", time(100));
        LedgerScript.Written adjusted = ledger.adjust("bob", "adj-1", 2);

        assertThat(player("bob")).containsEntry("MATCHES", 1L).containsEntry("LAST_SEQUENCE", 2L);
        ledger.redeliver(adjusted);
        assertThat(entries("bob")).extracting(row -> row.get("KIND")).containsExactly("MATCH", "ADJUSTMENT");
    }

    @Test
    void aMatchAndItsVoidInOneBatchAreWrittenWithTheMatchMarked() {
        ledger.holding();
        List<LedgerScript.Written> batch = new ArrayList<>(ledger.win("m-1", "ann", "bob", time(100)));
        batch.addAll(ledger.voidMatch("m-1"));
        ledger.held();
        ledger.feed(0)
                .deliverTogether(batch.stream()
                        .<TrackedEventMessage<?>>map(
                                written -> written.messages().get(0))
                        .toList());

        assertThat(entries("ann"))
                .extracting(row -> row.get("KIND"), row -> row.get("VOIDED"))
                .containsExactly(tuple("MATCH", true), tuple("VOID", false));
        assertThat(player("ann")).containsEntry("MATCHES", 1L);
    }

    @Test
    void redeliveriesOneByOneOrAsABatchChangeNothing() {
        List<LedgerScript.Written> written = new ArrayList<>(ledger.win("m-1", "ann", "bob", time(100)));
        written.add(ledger.adjust("bob", "adj-1", 2));
        written.addAll(ledger.voidMatch("m-1"));
        List<Map<String, Object>> ann = entries("ann");
        List<Map<String, Object>> bob = entries("bob");
        Map<String, Object> annPlayer = player("ann");

        written.forEach(ledger::redeliver);
        ledger.feed(0).deliverTogether(ledger.feed(0).history());

        assertThat(entries("ann")).isEqualTo(ann);
        assertThat(entries("bob")).isEqualTo(bob);
        assertThat(player("ann")).isEqualTo(annPlayer);
    }

    @Test
    void anEventForAPlayerWithoutAHistoryFailsItsBatchAndTheBatchWritesNothing() {
        List<Map<String, Object>> before = entries("ann");
        EventFeed feed = new EventFeed(history, db.transactions);
        feed.append("ann", 1, 10, new MatchRecorded("ann", "m-9", "ghost", MatchResult.WIN, 3, 3, time(10)));
        feed.append("ghost", 0, 11, new MatchRecorded("ghost", "m-9", "ann", MatchResult.LOSS, 0, 0, time(10)));

        assertThatThrownBy(() -> feed.deliverTogether(feed.history()))
                .hasStackTraceContaining("no history for player ghost");
        assertThat(entries("ann")).isEqualTo(before).isEmpty();
        assertThat(player("ann")).containsEntry("LAST_SEQUENCE", 0L);
    }
}
