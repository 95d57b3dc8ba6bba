package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.core.api.SeasonWindow;
import io.matchledger.projections.ProcessorBatch.Writes;
import io.matchledger.projections.api.LeaderboardEntry;
import io.matchledger.projections.api.PlayerView;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

/**
 * The read models' rules that need no database: which season holds a match, whether its recording and its void are
 * late against the close, what decides between two neighbours, and how a processor batch gathers and writes its
 * changes once.
 */
class ProjectionRulesTest {

    static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
    static final SeasonWindow ONE = new SeasonWindow("s1", "One", T, T.plusSeconds(100), Duration.ofSeconds(10));
    static final SeasonWindow TWO =
            new SeasonWindow("s2", "Two", T.plusSeconds(100), T.plusSeconds(200), Duration.ofSeconds(10));
    static final List<SeasonWindow> CALENDAR = List.of(ONE, TWO);

    @Test
    void aMatchIsInTheSeasonWhoseHalfOpenWindowHoldsWhenItWasPlayed() {
        assertThat(SeasonTables.seasonOf(CALENDAR, T.minusNanos(1))).isEmpty();
        assertThat(SeasonTables.seasonOf(CALENDAR, T)).contains(ONE);
        assertThat(SeasonTables.seasonOf(CALENDAR, T.plusSeconds(50))).contains(ONE);
        assertThat(SeasonTables.seasonOf(CALENDAR, T.plusSeconds(100).minusNanos(1)))
                .contains(ONE);
        assertThat(SeasonTables.seasonOf(CALENDAR, T.plusSeconds(100))).contains(TWO);
        assertThat(SeasonTables.seasonOf(CALENDAR, T.plusSeconds(200).minusNanos(1)))
                .contains(TWO);
        assertThat(SeasonTables.seasonOf(CALENDAR, T.plusSeconds(200))).isEmpty();
        assertThat(SeasonTables.seasonOf(List.of(), T)).isEmpty();
    }

    @Test
    void recordedBeforeTheCloseCountsAndAtTheCloseIsLate() {
        Instant close = ONE.closesAt();
        assertThat(close).isEqualTo(T.plusSeconds(110));

        assertThat(SeasonTables.Placement.of(ONE, close.minusNanos(1), null))
                .isEqualTo(new SeasonTables.Placement(false, false));
        assertThat(SeasonTables.Placement.of(ONE, close, null)).isEqualTo(new SeasonTables.Placement(true, false));
        assertThat(SeasonTables.Placement.of(ONE, close.plusSeconds(1), null))
                .isEqualTo(new SeasonTables.Placement(true, false));
    }

    @Test
    void aVoidBeforeTheCloseCountsAndOneAtOrAfterItIsLate() {
        Instant close = ONE.closesAt();
        Instant recorded = T.plusSeconds(5);

        assertThat(SeasonTables.Placement.of(ONE, recorded, close.minusNanos(1)).voidLate())
                .isFalse();
        assertThat(SeasonTables.Placement.of(ONE, recorded, close).voidLate()).isTrue();
        assertThat(SeasonTables.Placement.of(ONE, recorded, close.plusSeconds(60)))
                .isEqualTo(new SeasonTables.Placement(false, true));
        assertThat(SeasonTables.Placement.of(ONE, recorded, null).voidLate())
                .as("no void instant: taken as recorded with the match")
                .isFalse();
    }

    @Test
    void neighboursAreDecidedByPointsThenWhoReachedThemFirstThenTheId() {
        StandingRow ann = standing("ann", 5, 100);
        StandingRow bob = standing("bob", 3, 50);
        StandingRow cid = standing("cid", 5, 200);
        StandingRow dan = standing("dan", 5, 100);

        assertThat(Ranking.decidedBy(ann, bob)).isEqualTo("points");
        assertThat(Ranking.decidedBy(ann, cid)).isEqualTo("reachedFirst");
        assertThat(Ranking.decidedBy(ann, dan)).isEqualTo("playerId");
    }

    @Test
    void aStandingIsShownWithTheRankItIsGiven() {
        StandingRow ann = new StandingRow("ann", "Ann", 7, 2, 1, 0, 3, 100, 0);

        assertThat(ann.view(4)).isEqualTo(new PlayerView("ann", "Ann", 7, 2, 1, 0, 3, 4));
        assertThat(ann.entry(4)).isEqualTo(new LeaderboardEntry(4, "ann", "Ann", 7, 3));
    }

    @Test
    void instantsAreStoredAtUtcWithTheirNanoseconds() {
        Instant instant = Instant.parse("2026-11-26T10:00:00.123456789Z");

        OffsetDateTime stored = ProcessorBatch.timestamp(instant);

        assertThat(stored.getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(stored.toInstant()).isEqualTo(instant);
        assertThat(stored.getNano()).isEqualTo(123_456_789);
        assertThat(ProcessorBatch.timestamp(null)).isNull();
    }

    @Test
    void listsAreChunkedInOrderWithTheLastChunkShorter() {
        List<Integer> all = List.of(1, 2, 3, 4, 5, 6, 7);

        assertThat(ProcessorBatch.chunks(all, 3)).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
        assertThat(ProcessorBatch.chunks(all, 7)).containsExactly(all);
        assertThat(ProcessorBatch.chunks(all, 100)).containsExactly(all);
        assertThat(ProcessorBatch.chunks(List.of(), 3)).isEmpty();
    }

    @Test
    void anUpdateThatChangedNoRowFailsTheBatchNamingIt() {
        int[][] allChanged = {{1, 1, 1}};
        ProcessorBatch.requireEachChangedARow(allChanged, List.of("a", "b", "c"), id -> "no " + id);

        int[][] oneMissing = {{1, 0, 1}};
        assertThatThrownBy(() -> ProcessorBatch.requireEachChangedARow(
                        oneMissing, List.of("a", "b", "c"), id -> "no match " + id))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no match b");
        int[][] lastMissing = {{1, 1, 0}};
        assertThatThrownBy(() -> ProcessorBatch.requireEachChangedARow(
                        lastMissing, List.of("a", "b", "c"), id -> "no match " + id))
                .hasMessage("no match c");
    }

    @Test
    void outsideAUnitOfWorkTheWritesAreMadeAtOnce() {
        List<String> written = new ArrayList<>();

        ProcessorBatch.with("key", () -> new Collecting(written), writes -> writes.add("x"));

        assertThat(written).containsExactly("[x]");
    }

    @Test
    void inABatchTheWritesOfEveryEventAreGatheredAndMadeOnceAsItCommits() {
        List<String> written = new ArrayList<>();
        AtomicInteger created = new AtomicInteger();
        List<Message<?>> events = List.of(event("ann", 0), event("bob", 0), event("ann", 1));
        BatchingUnitOfWork<Message<?>> batch = new BatchingUnitOfWork<>(events);

        batch.execute(() -> {
            ProcessorBatch.with(
                    "key",
                    () -> {
                        created.incrementAndGet();
                        return new Collecting(written);
                    },
                    writes -> writes.add(current().getMessage().getPayload().toString()));
            assertThat(written).as("nothing before the commit").isEmpty();
        });

        assertThat(created).hasValue(1);
        assertThat(written).containsExactly("[ann 0, bob 0, ann 1]");
    }

    @Test
    void writesUnderAnotherKeyAreKeptApart() {
        List<String> live = new ArrayList<>();
        List<String> rebuild = new ArrayList<>();
        DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(event("ann", 0));

        ProcessorBatch.with("live", () -> new Collecting(live), writes -> writes.add("a"));
        ProcessorBatch.with("rebuild", () -> new Collecting(rebuild), writes -> writes.add("b"));
        ProcessorBatch.with("live", () -> new Collecting(live), writes -> writes.add("c"));
        unit.commit();

        assertThat(live).containsExactly("[a, c]");
        assertThat(rebuild).containsExactly("[b]");
    }

    @Test
    void theStreamsOfABatchAreItsEventsStreamsAfterTheOneAskedForWithoutRepeats() {
        assertThat(ProcessorBatch.streamsOfThisBatchAnd("cid")).containsExactly("cid");

        List<Message<?>> events = List.of(
                event("ann", 0), event("bob", 0), event("ann", 1), GenericEventMessage.asEventMessage("not a stream"));
        BatchingUnitOfWork<Message<?>> batch = new BatchingUnitOfWork<>(events);
        List<List<String>> seen = new ArrayList<>();
        batch.execute(() -> seen.add(ProcessorBatch.streamsOfThisBatchAnd("cid")));

        assertThat(seen).isNotEmpty();
        assertThat(seen.get(0)).containsExactly("cid", "ann", "bob");

        DefaultUnitOfWork<?> single = DefaultUnitOfWork.startAndGet(event("dan", 3));
        try {
            assertThat(ProcessorBatch.streamsOfThisBatchAnd("dan")).containsExactly("dan");
            assertThat(ProcessorBatch.streamsOfThisBatchAnd("eve")).containsExactly("eve", "dan");
        } finally {
            single.commit();
        }
    }

    @Test
    void aTableSetNamesTheLiveTableOrItsRebuildCopy() {
        assertThat(TableSet.LIVE.of("player_standing")).isEqualTo("player_standing");
        assertThat(TableSet.REBUILD.of("player_standing")).isEqualTo("player_standing_rebuild");
        assertThat(TableSet.REBUILD.suffix()).isEqualTo("_rebuild");
    }

    private static UnitOfWork<?> current() {
        return CurrentUnitOfWork.get();
    }

    private static StandingRow standing(String playerId, long points, long reachedAt) {
        return new StandingRow(playerId, playerId, points, 0, 0, 0, 0, reachedAt, 0);
    }

    private static Message<?> event(String stream, long sequence) {
        return new GenericDomainEventMessage<>("Player", stream, sequence, stream + " " + sequence);
    }

    /** Writes that remember what each event added, and write it all once. */
    private static final class Collecting implements Writes {

        private final List<String> written;
        private final List<String> added = new ArrayList<>();

        Collecting(List<String> written) {
            this.written = written;
        }

        void add(String change) {
            added.add(change);
        }

        @Override
        public void write() {
            written.add(added.toString());
        }
    }
}
