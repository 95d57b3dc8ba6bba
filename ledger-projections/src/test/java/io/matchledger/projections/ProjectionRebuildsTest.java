package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.matchledger.projections.lifecycle.ProjectionRebuilt;
import io.matchledger.projections.lifecycle.ProjectionSettings;
import io.matchledger.projections.lifecycle.ProjectionState;
import io.matchledger.projections.lifecycle.ProjectionStatus;
import io.matchledger.projections.lifecycle.RebuildInterceptor;
import io.matchledger.projections.lifecycle.RebuildRefused;
import io.matchledger.projections.lifecycle.UnknownProjection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A rebuild of each read model blue/green beside the live one (ADR 0012), on a real tracking processor of its own: it
 * repairs a damaged live model from the events, takes in events appended while it runs, is refused while one runs or
 * another process holds the processor, and a failing event leaves the live model as it was.
 */
class ProjectionRebuildsTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    /** Holds the rebuild at one global index until released, and fails there while {@link #failing}. */
    static final class HoldAt implements RebuildInterceptor {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        volatile long at = -1;
        volatile boolean failing;
        volatile Duration holdFor = Duration.ofSeconds(30);

        @Override
        public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain)
                throws Exception {
            if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked
                    && tracked.trackingToken().position().orElse(-1) == at) {
                if (failing) {
                    throw new IllegalStateException("cannot handle the event at " + at);
                }
                reached.countDown();
                released.await(holdFor.toMillis(), TimeUnit.MILLISECONDS);
            }
            return chain.proceed();
        }
    }

    final HoldAt hold = new HoldAt();
    ReadModelsOnAxon rig;

    @AfterEach
    void close() {
        hold.released.countDown();
        if (rig != null) {
            rig.close();
        }
    }

    /** Four players, matches in a season, a void and an adjustment: rows in every table of every read model. */
    private void play(int rebuildBatchSize) {
        play(new ReadModelsOnAxon(rebuildBatchSize, hold));
    }

    private void play(ReadModelsOnAxon readModels) {
        rig = readModels;
        LedgerScript ledger = rig.script;
        ledger.defineSeasons(TwoSeasons.ONE);
        ledger.register("ann", "Ann");
        ledger.register("bob", "Bob");
        ledger.register("cy", "Cy");
        ledger.register("dee", "Dee");
        ledger.win("m1", "ann", "bob", LedgerScript.time(10));
        ledger.draw("m2", "cy", "dee", LedgerScript.time(20));
        ledger.win("m3", "dee", "ann", LedgerScript.time(30));
        ledger.win("m4", "bob", "cy", LedgerScript.time(40));
        ledger.voidMatch("m2");
        ledger.adjust("cy", "a1", 5);
        ledger.win("m5", "ann", "cy", LedgerScript.time(50));
        caughtUp();
    }

    private void caughtUp() {
        long head = rig.projections.head();
        await().atMost(WITHIN)
                .until(() -> List.of(StandingsProjection.NAME, MatchesProjection.NAME, HistoryProjection.NAME).stream()
                        .allMatch(name -> rig.projections.reached(name, head)));
    }

    private Map<String, List<Map<String, Object>>> tablesOf(Rebuildable projection, TableSet set) {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        projection.tables().forEach(table -> tables.put(table, rig.rows(set.of(table))));
        return tables;
    }

    private Rebuildable named(String name) {
        return List.<Rebuildable>of(rig.standings, rig.matches, rig.history).stream()
                .filter(projection -> projection.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private void rebuilt(String name) {
        await().atMost(WITHIN).until(() -> rig.published.contains(new ProjectionRebuilt(name)));
        await().atMost(WITHIN).until(() -> rig.rebuilds.progress(name).isEmpty());
    }

    /** After a rebuild that failed or was discarded: nothing published, the live tables as given, the twins empty. */
    private void keptAsItWas(Rebuildable projection, Map<String, List<Map<String, Object>>> live) {
        await().atMost(WITHIN)
                .until(() -> rig.rebuilds.progress(projection.name()).isEmpty());
        assertThat(rig.published).isEmpty();
        assertThat(tablesOf(projection, TableSet.LIVE)).isEqualTo(live);
        tablesOf(projection, TableSet.REBUILD)
                .forEach((table, rows) -> assertThat(rows).as(table).isEmpty());
        assertThat(rig.tokens.tokens(projection.name() + TableSet.REBUILD.suffix()))
                .isEmpty();
    }

    private boolean hasIndex(String table, String index) {
        return !rig.jdbc
                .queryForList(
                        "select index_name from information_schema.indexes where lower(table_name) = ? and lower(index_name) = ?",
                        String.class,
                        table,
                        index)
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {StandingsProjection.NAME, MatchesProjection.NAME, HistoryProjection.NAME})
    void aRebuildRepairsADamagedLiveModelFromTheEventsAndTheLiveModelGoesOn(String name) {
        play(4);
        Rebuildable projection = named(name);
        Map<String, List<Map<String, Object>>> whole = tablesOf(projection, TableSet.LIVE);
        // The damage: the rows of the last table that has some lost (the child's, for a parent and child).
        List<String> tables = new java.util.ArrayList<>(projection.tables());
        java.util.Collections.reverse(tables);
        String damaged = tables.stream()
                .filter(table -> !whole.get(table).isEmpty())
                .findFirst()
                .orElseThrow();
        rig.jdbc.update("delete from " + damaged);

        ProjectionStatus started = rig.projections.rebuild(name, "the test");
        assertThat(started.rebuilding()).isTrue();
        assertThat(started.replaying()).isFalse();
        rebuilt(name);

        assertThat(tablesOf(projection, TableSet.LIVE)).isEqualTo(whole);
        tablesOf(projection, TableSet.REBUILD)
                .forEach((table, rows) -> assertThat(rows).as(table).isEmpty());
        assertThat(rig.tokens.tokens(name + TableSet.REBUILD.suffix())).isEmpty();
        assertThat(rig.published).containsExactly(new ProjectionRebuilt(name));
        // At rest each twin has its live table's indexes again, under the other name of its pair.
        projection
                .indexesBuiltLast()
                .forEach((table, indexes) -> indexes.forEach(index -> {
                    assertThat(hasIndex(table, index)
                                    || hasIndex(table, table + "_rebuild" + index.substring(table.length())))
                            .as(index + " on " + table)
                            .isTrue();
                    assertThat(hasIndex(table + "_rebuild", index)
                                    || hasIndex(
                                            table + "_rebuild", table + "_rebuild" + index.substring(table.length())))
                            .as(index + " on the twin of " + table)
                            .isTrue();
                }));
        ProjectionStatus after = rig.projections.status(name);
        assertThat(after.rebuilding()).isFalse();
        assertThat(after.rebuildPosition()).isZero();
        assertThat(after.state()).isEqualTo(ProjectionState.RUNNING);

        // The live processor runs again, on the rebuilt tables.
        rig.script.win("m6", "bob", "dee", LedgerScript.time(60));
        caughtUp();
        assertThat(rig.jdbc.queryForObject("select count(*) from match_record where match_id = 'm6'", Long.class))
                .isOne();
        assertThat(rig.jdbc.queryForObject("select points from player_standing where player_id = 'bob'", Long.class))
                .isEqualTo(6);
        assertThat(rig.jdbc.queryForObject("select count(*) from ledger_entry where player_id = 'dee'", Long.class))
                .isEqualTo(4);
    }

    @Test
    void eventsAppendedWhileARebuildRunsAreInItsModelAndASecondRebuildIsRefusedMeanwhile() throws Exception {
        play(3);
        Map<String, Object> m1 = rig.jdbc.queryForMap("select * from match_record where match_id = 'm1'");
        rig.jdbc.update("delete from match_record where match_id = 'm1'");
        hold.at = 7; // m1's settlement

        rig.projections.rebuild(MatchesProjection.NAME, "the test");
        assertThat(hold.reached.await(30, TimeUnit.SECONDS)).isTrue();

        ProjectionStatus during = rig.projections.status(MatchesProjection.NAME);
        assertThat(during.rebuilding()).isTrue();
        assertThat(during.replaying()).isFalse();
        assertThat(during.state()).isEqualTo(ProjectionState.RUNNING);
        assertThat(during.rebuildPosition()).isBetween(0L, 7L);
        assertThat(rig.rebuilds.progress(MatchesProjection.NAME)).isPresent();
        assertThat(rig.rebuilds.progress(StandingsProjection.NAME)).isEmpty();
        assertThatThrownBy(() -> rig.projections.rebuild(MatchesProjection.NAME, "someone else"))
                .isInstanceOf(RebuildRefused.class)
                .hasMessageContaining("rebuilding already");
        // The live model keeps up meanwhile; readers see it as it was.
        rig.script.win("m6", "bob", "dee", LedgerScript.time(60));
        rig.script.win("m7", "cy", "dee", LedgerScript.time(70));
        caughtUp();
        assertThat(rig.jdbc.queryForList("select match_id from match_record order by match_id", String.class))
                .containsExactly("m2", "m3", "m4", "m5", "m6", "m7");

        hold.released.countDown();
        rebuilt(MatchesProjection.NAME);

        assertThat(rig.jdbc.queryForList("select match_id from match_record order by match_id", String.class))
                .containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
        assertThat(rig.jdbc.queryForMap("select * from match_record where match_id = 'm1'"))
                .isEqualTo(m1);
        assertThat(rig.rebuilds.progress(MatchesProjection.NAME)).isEmpty();
        assertThat(rig.projections.status(MatchesProjection.NAME).rebuildPosition())
                .isZero();
    }

    @Test
    void aFailingEventStopsTheRebuildAndLeavesTheLiveModelAsItWas() {
        play(4);
        rig.jdbc.update("delete from match_record where match_id = 'm1'");
        Map<String, List<Map<String, Object>>> damaged = tablesOf(rig.matches, TableSet.LIVE);
        hold.at = 10; // m2's settlement
        hold.failing = true;

        rig.projections.rebuild(MatchesProjection.NAME, "the test");
        keptAsItWas(rig.matches, damaged);
        assertThat(rig.projections.status(MatchesProjection.NAME).state()).isEqualTo(ProjectionState.RUNNING);

        // Once the cause is gone, a rebuild runs again and repairs the model.
        hold.failing = false;
        hold.released.countDown();
        rig.projections.rebuild(MatchesProjection.NAME, "the test");
        rebuilt(MatchesProjection.NAME);
        assertThat(rig.jdbc.queryForList("select match_id from match_record order by match_id", String.class))
                .containsExactly("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void aRebuildIsRefusedWhileAnotherProcessHoldsTheProcessor() {
        play(100);
        rig.readModels().shutDown();
        rig.jdbc.update(
                "update token_entry set owner = '1@elsewhere' where processor_name = ?", ReadModels.PROCESSING_GROUP);

        assertThatThrownBy(() -> rig.projections.rebuild(HistoryProjection.NAME, "the test"))
                .isInstanceOf(RebuildRefused.class)
                .hasMessageContaining("held by another process");
        assertThat(rig.rebuilds.progress(HistoryProjection.NAME)).isEmpty();
        assertThat(rig.tokens.tokens(HistoryProjection.NAME + TableSet.REBUILD.suffix()))
                .isEmpty();
    }

    /** Whether the twin of {@code table} has the index, under either name of its pair. */
    private boolean twinHas(String table, String index) {
        String twin = TableSet.REBUILD.of(table);
        return hasIndex(twin, index) || hasIndex(twin, twin + index.substring(table.length()));
    }

    @Test
    void aRebuildAfterOneThatWasKilledStartsOverFromTheFirstEventAndFillsTheTwinsWithoutTheIndexesBuiltLast()
            throws Exception {
        play(4);
        Map<String, List<Map<String, Object>>> whole = tablesOf(rig.standings, TableSet.LIVE);
        // What a rebuild killed near the head leaves behind: its rows in the twins, and its token.
        StandingsProjection.TABLES.forEach(
                table -> rig.jdbc.update("insert into " + TableSet.REBUILD.of(table) + " select * from " + table));
        new TransactionTemplate(rig.transactions)
                .executeWithoutResult(status -> rig.tokenStore.initializeTokenSegments(
                        StandingsProjection.NAME + TableSet.REBUILD.suffix(),
                        1,
                        new GlobalSequenceTrackingToken(rig.projections.head())));
        rig.jdbc.update("delete from player_standing where player_id = 'ann'");
        hold.at = 5;

        rig.projections.rebuild(StandingsProjection.NAME, "the test");
        assertThat(hold.reached.await(30, TimeUnit.SECONDS)).isTrue();
        rig.standings
                .indexesBuiltLast()
                .forEach((table, indexes) -> indexes.forEach(index -> assertThat(twinHas(table, index))
                        .as(index + " on the twin of " + table + " while it fills")
                        .isFalse()));
        hold.released.countDown();
        rebuilt(StandingsProjection.NAME);

        assertThat(tablesOf(rig.standings, TableSet.LIVE)).isEqualTo(whole);
    }

    @Test
    void aServiceStoppingDuringARebuildDiscardsItAndLeavesTheLiveModelAsItWas() throws Exception {
        play(4);
        Map<String, List<Map<String, Object>>> live = tablesOf(rig.history, TableSet.LIVE);
        hold.at = 20; // the adjustment, after the batches of m1 to m4
        rig.projections.rebuild(HistoryProjection.NAME, "the test");
        assertThat(hold.reached.await(30, TimeUnit.SECONDS)).isTrue();
        // Its progress is that of the batches it has committed, and so are the rows in the twins.
        await().atMost(WITHIN)
                .until(() -> rig.projections.status(HistoryProjection.NAME).rebuildPosition() > 0);
        assertThat(rig.projections.status(HistoryProjection.NAME).rebuildPosition())
                .isLessThan(20);
        assertThat(rig.rows(TableSet.REBUILD.of(HistoryWrites.ENTRIES))).isNotEmpty();

        rig.rebuilds.stop();

        keptAsItWas(rig.history, live);
        rig.history
                .indexesBuiltLast()
                .forEach((table, indexes) -> indexes.forEach(index -> assertThat(twinHas(table, index))
                        .as(index + " on the twin of " + table + " at rest")
                        .isTrue()));
    }

    @Test
    void aRebuildThatCannotComeNearTheHeadInItsTimeFailsAndTheLiveModelIsKept() {
        play(new ReadModelsOnAxon(new ProjectionSettings(4, Duration.ofSeconds(1), Duration.ofSeconds(10)), hold));
        rig.jdbc.update("delete from match_record where match_id = 'm1'");
        Map<String, List<Map<String, Object>>> damaged = tablesOf(rig.matches, TableSet.LIVE);
        hold.at = 10; // held past the rebuild's second, and let go then
        hold.holdFor = Duration.ofSeconds(3);

        rig.projections.rebuild(MatchesProjection.NAME, "the test");
        keptAsItWas(rig.matches, damaged);
        assertThat(rig.projections.status(MatchesProjection.NAME).state()).isEqualTo(ProjectionState.RUNNING);
    }

    @Test
    void aRebuildThatCannotBeginIsNotLeftRunning() {
        play(100);
        rig.jdbc.execute("alter table season_tally_rebuild rename to season_tally_parked");

        assertThatThrownBy(() -> rig.projections.rebuild(MatchesProjection.NAME, "the test"))
                .isNotInstanceOf(RebuildRefused.class);
        assertThat(rig.rebuilds.progress(MatchesProjection.NAME)).isEmpty();

        rig.jdbc.execute("alter table season_tally_parked rename to season_tally_rebuild");
        rig.projections.rebuild(MatchesProjection.NAME, "the test");
        rebuilt(MatchesProjection.NAME);
    }

    @Test
    void aSwapWhoseClaimAnotherProcessTookMeanwhileLeavesTheLiveModelAsItWas() throws Exception {
        play(4);
        rig.jdbc.update("delete from match_record where match_id = 'm1'");
        Map<String, List<Map<String, Object>>> damaged = tablesOf(rig.matches, TableSet.LIVE);
        // A reader holds the gate, so the swap waits there, with the live processor stopped and its claims released.
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch readDone = new CountDownLatch(1);
        Thread reader = new Thread(() -> rig.gate.read(() -> {
            reading.countDown();
            try {
                return readDone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        reader.start();
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();

        rig.projections.rebuild(MatchesProjection.NAME, "the test");
        await().atMost(WITHIN)
                .until(() -> rig.jdbc.queryForObject(
                                "select count(*) from token_entry where processor_name = ? and owner is null",
                                Long.class,
                                ReadModels.PROCESSING_GROUP)
                        == 1);
        rig.jdbc.update(
                "update token_entry set owner = '1@elsewhere' where processor_name = ?", ReadModels.PROCESSING_GROUP);
        readDone.countDown();
        keptAsItWas(rig.matches, damaged);
        reader.join();
        rig.jdbc.update("update token_entry set owner = null where processor_name = ?", ReadModels.PROCESSING_GROUP);
    }

    @Test
    void onlyReadModelsAreRebuilt() {
        play(100);
        assertThat(rig.rebuilds.rebuilds(StandingsProjection.NAME)).isTrue();
        assertThat(rig.rebuilds.rebuilds(ReadModelsOnAxon.OTHER)).isFalse();
        assertThatThrownBy(() -> rig.projections.rebuild("nothing", "the test")).isInstanceOf(UnknownProjection.class);
        assertThatThrownBy(() -> rig.projections.rebuild(ReadModelsOnAxon.OTHER, "the test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no rebuildable projection " + ReadModelsOnAxon.OTHER);
        assertThat(rig.published).isEmpty();
    }
}
