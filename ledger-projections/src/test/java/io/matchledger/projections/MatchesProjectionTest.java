package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.SettlementVoided;
import io.matchledger.core.api.Share;
import io.matchledger.projections.api.FindMatchQuery;
import io.matchledger.projections.api.MatchView;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.transaction.PlatformTransactionManager;

// On a migrated H2 without Spring (MigratedH2), the repositories over it without a context too: each event commits
// on its own, as in an event processor, and queries read what was committed.
class MatchesProjectionTest {

    static final Instant PLAYED = Instant.parse("2026-11-25T21:30:00.000000001Z");

    static MigratedH2 db;

    final MatchesProjection matches =
            new MatchesProjection(db.dataSource, new StaticListableBeanFactory().getBeanProvider(EventStore.class));
    final MatchRecordRepository repository = db.repository(MatchRecordRepository.class);
    final MatchQueries queries = new MatchQueries(repository);
    final PlatformTransactionManager transactionManager = db.transactions;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
    }

    EventFeed feed;

    @BeforeEach
    void noMatches() {
        db.jdbc.update("delete from match_record");
        feed = new EventFeed(matches, transactionManager);
    }

    @Test
    void aSettledMatchReadsBackAsRecorded() {
        TrackedEventMessage<?> settled = settle(
                "m-1",
                Outcome.WIN,
                new Share("enemy", MatchResult.WIN, 3, 75),
                new Share("lubien", MatchResult.LOSS, 0, 104));

        assertThat(match("m-1"))
                .isEqualTo(new MatchView(
                        "m-1",
                        Outcome.WIN,
                        List.of(
                                new MatchView.Side("enemy", MatchResult.WIN, 3),
                                new MatchView.Side("lubien", MatchResult.LOSS, 0)),
                        PLAYED,
                        settled.getTimestamp(),
                        false));
        // Nanoseconds survive, so the match reads back exactly as the recording answer gave it.
        assertThat(match("m-1").recordedAt().getNano()).isEqualTo(EventFeed.START.getNano());
    }

    @Test
    void aDrawKeepsBothSides() {
        settle(
                "m-2",
                Outcome.DRAW,
                new Share("lubien", MatchResult.DRAW, 1, 105),
                new Share("enemy", MatchResult.DRAW, 1, 103));

        assertThat(match("m-2").players())
                .containsExactly(
                        new MatchView.Side("lubien", MatchResult.DRAW, 1),
                        new MatchView.Side("enemy", MatchResult.DRAW, 1));
    }

    @Test
    void aRedeliveredMatchIsNeitherAFailureNorADuplicate() {
        TrackedEventMessage<?> settled = settle(
                "m-1",
                Outcome.WIN,
                new Share("enemy", MatchResult.WIN, 3, 3),
                new Share("lubien", MatchResult.LOSS, 0, 0));
        MatchView before = match("m-1");

        feed.deliver(settled);

        assertThat(repository.count()).isEqualTo(1);
        assertThat(match("m-1")).isEqualTo(before);
    }

    @Test
    void aRebuildFromTheFirstEventGivesTheSameMatches() {
        settle(
                "m-1",
                Outcome.WIN,
                new Share("enemy", MatchResult.WIN, 3, 3),
                new Share("lubien", MatchResult.LOSS, 0, 0));
        settle(
                "m-2",
                Outcome.DRAW,
                new Share("lubien", MatchResult.DRAW, 1, 1),
                new Share("enemy", MatchResult.DRAW, 1, 4));
        List<MatchView> before = List.of(match("m-1"), match("m-2"));

        feed.rebuild();

        assertThat(List.of(match("m-1"), match("m-2"))).isEqualTo(before);
        assertThat(repository.count()).isEqualTo(2);
    }

    @Test
    void oneProcessorBatchSettlesAndVoidsAndItsRedeliveryChangesNothing() {
        settle(
                "m-1",
                Outcome.WIN,
                new Share("enemy", MatchResult.WIN, 3, 3),
                new Share("lubien", MatchResult.LOSS, 0, 0)); // in an earlier batch
        feed.hold();
        settle(
                "m-2",
                Outcome.DRAW,
                new Share("lubien", MatchResult.DRAW, 1, 1),
                new Share("enemy", MatchResult.DRAW, 1, 4));
        feed.publish(
                "match:m-1",
                new SettlementVoided(
                        "m-1",
                        "bugged map",
                        List.of(
                                new Share("enemy", MatchResult.WIN, -3, 1),
                                new Share("lubien", MatchResult.LOSS, 0, 1))));
        feed.publish(
                "match:m-2",
                new SettlementVoided(
                        "m-2",
                        "bugged map",
                        List.of(
                                new Share("lubien", MatchResult.DRAW, -1, 0),
                                new Share("enemy", MatchResult.DRAW, -1, 0))));
        settle(
                "m-3",
                Outcome.WIN,
                new Share("lubien", MatchResult.WIN, 3, 3),
                new Share("enemy", MatchResult.LOSS, 0, 0));
        List<TrackedEventMessage<?>> batch = feed.release();
        feed.deliverTogether(batch);

        assertThat(repository.count()).isEqualTo(3);
        assertThat(match("m-1").voided()).isTrue();
        assertThat(match("m-2").voided()).isTrue(); // settled and voided in the same batch
        assertThat(match("m-2").outcome()).isEqualTo(Outcome.DRAW);
        assertThat(match("m-3").voided()).isFalse();
    }

    @Test
    void aVoidedMatchStaysAsRecordedAndIsMarkedVoided() {
        settle(
                "m-1",
                Outcome.WIN,
                new Share("enemy", MatchResult.WIN, 3, 75),
                new Share("lubien", MatchResult.LOSS, 0, 104));
        MatchView before = match("m-1");

        TrackedEventMessage<?> voided = feed.publish(
                "match:m-1",
                new SettlementVoided(
                        "m-1",
                        "bugged map",
                        List.of(
                                new Share("enemy", MatchResult.WIN, -3, 72),
                                new Share("lubien", MatchResult.LOSS, 0, 104))));
        feed.deliver(voided);

        assertThat(match("m-1"))
                .isEqualTo(new MatchView(
                        before.matchId(),
                        before.outcome(),
                        before.players(),
                        before.occurredAt(),
                        before.recordedAt(),
                        true));
        feed.rebuild();
        assertThat(match("m-1").voided()).isTrue();
    }

    @Test
    void anUnknownMatchIsNotFound() {
        assertThat(queries.handle(new FindMatchQuery("m-404"))).isEmpty();
    }

    private TrackedEventMessage<?> settle(String matchId, Outcome outcome, Share first, Share second) {
        return feed.publish("match:" + matchId, new MatchSettled(matchId, outcome, List.of(first, second), PLAYED));
    }

    private MatchView match(String matchId) {
        return queries.handle(new FindMatchQuery(matchId)).orElseThrow();
    }
}
