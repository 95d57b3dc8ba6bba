package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.projections.lifecycle.ProjectionState;
import io.matchledger.projections.lifecycle.ProjectionStatus;
import io.matchledger.projections.lifecycle.UnknownProjection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What {@code GET /api/admin/projections} and read-your-writes rely on, on real Axon processors: every read model and
 * every other streaming processor with its position, the head, its lag and state, from the processor while it runs
 * and from the stored tokens (gaps included) while it does not; unknown names refused.
 */
class ProjectionsTest {

    private static final List<String> READ_MODELS =
            List.of(HistoryProjection.NAME, MatchesProjection.NAME, StandingsProjection.NAME);

    ReadModelsOnAxon rig;
    long head;

    @BeforeEach
    void play() {
        rig = new ReadModelsOnAxon(100);
        rig.script.register("ann", "Ann");
        rig.script.register("bob", "Bob");
        rig.script.win("m1", "ann", "bob", LedgerScript.time(10)); // positions 0 to 4
        head = rig.projections.head();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> READ_MODELS.stream().allMatch(name -> rig.projections.reached(name, head))
                        && rig.projections.reached(ReadModelsOnAxon.OTHER, head));
    }

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void everyReadModelAndEveryOtherStreamingProcessorIsListedWhereItStands() {
        assertThat(head).isEqualTo(4);
        List<ProjectionStatus> statuses = rig.projections.statuses();

        assertThat(statuses)
                .extracting(ProjectionStatus::name)
                .containsExactly(ReadModelsOnAxon.OTHER, "history", "matches", "standings");
        assertThat(statuses)
                .allSatisfy(status -> assertThat(status)
                        .isEqualTo(new ProjectionStatus(
                                status.name(), 4, 4, 0, 0, false, false, 0, ProjectionState.RUNNING, null, null)));
        assertThat(rig.projections.conditions())
                .containsOnlyKeys(ReadModelsOnAxon.OTHER, "history", "matches", "standings")
                .allSatisfy((name, condition) -> assertThat(condition.state()).isEqualTo(ProjectionState.RUNNING));
        assertThat(rig.delivered).hasSize(5);

        assertThat(rig.projections.processorOf(StandingsProjection.NAME)).isEqualTo(ReadModels.PROCESSING_GROUP);
        assertThat(rig.projections.processorOf(ReadModelsOnAxon.OTHER)).isEqualTo(ReadModelsOnAxon.OTHER);
        // The read models' processor is known by their names, not its own.
        assertThatThrownBy(() -> rig.projections.processorOf(ReadModels.PROCESSING_GROUP))
                .isInstanceOf(UnknownProjection.class)
                .hasMessage("projection read-models not found");
        assertThatThrownBy(() -> rig.projections.status("nothing")).isInstanceOf(UnknownProjection.class);
    }

    @Test
    void whileItRunsTheProcessorSaysWhatItHasReached() {
        assertThat(rig.projections.reached(StandingsProjection.NAME, 0)).isTrue();
        assertThat(rig.projections.reached(StandingsProjection.NAME, -1)).isTrue();
        assertThat(rig.projections.reached(StandingsProjection.NAME, head)).isTrue();
        assertThat(rig.projections.reached(StandingsProjection.NAME, head + 1)).isFalse();
        assertThat(rig.projections.committedPosition(ReadModels.PROCESSING_GROUP))
                .isEqualTo(head);
        // Stopped in another process's view (its token gone), it still answers from the processor here.
        rig.jdbc.update("delete from token_entry where processor_name = ?", ReadModels.PROCESSING_GROUP);
        assertThat(rig.projections.reached(StandingsProjection.NAME, head)).isTrue();
    }

    @Test
    void aStoppedProcessorIsShownFromItsStoredTokenWithTheAgeOfTheOldestEventItHasNotProcessed() {
        rig.readModels().shutDown();
        rig.axon
                .eventBus()
                .publish(new GenericDomainEventMessage<>(
                        "Player",
                        "cy",
                        0,
                        new PlayerRegistered("cy", null),
                        MetaData.emptyInstance(),
                        "late-registration",
                        Instant.now().minus(Duration.ofHours(1))));
        await().atMost(Duration.ofSeconds(30)).until(() -> rig.projections.reached(ReadModelsOnAxon.OTHER, head + 1));

        ProjectionStatus standings = rig.projections.status(StandingsProjection.NAME);
        assertThat(standings.position()).isEqualTo(head);
        assertThat(standings.head()).isEqualTo(head + 1);
        assertThat(standings.lagEvents()).isOne();
        assertThat(standings.lagSeconds()).isBetween(3600L, 3600L + 600);
        assertThat(standings.state()).isEqualTo(ProjectionState.STOPPED);
        assertThat(standings.replaying()).isFalse();
        assertThat(rig.projections.status(ReadModelsOnAxon.OTHER).lagSeconds()).isZero();
        assertThat(rig.projections.conditions().get(MatchesProjection.NAME).state())
                .isEqualTo(ProjectionState.STOPPED);

        assertThat(rig.projections.reached(StandingsProjection.NAME, head)).isTrue();
        assertThat(rig.projections.reached(StandingsProjection.NAME, head + 1)).isFalse();
        assertThat(rig.projections.committedPosition(ReadModels.PROCESSING_GROUP))
                .isEqualTo(head);
    }

    private void store(TrackingToken token) {
        new TransactionTemplate(rig.transactions).executeWithoutResult(status -> {
            rig.tokenStore.storeToken(token, ReadModels.PROCESSING_GROUP, 0);
            rig.tokenStore.releaseClaim(ReadModels.PROCESSING_GROUP, 0);
        });
    }

    private List<Long> committed(LongPredicate events) {
        return LongStream.rangeClosed(0, 12).filter(events).boxed().toList();
    }

    @Test
    void storedTokensAnswerWithTheirGaps() {
        rig.readModels().shutDown();
        store(GapAwareTrackingToken.newInstance(10, Set.of(7L, 8L)));

        assertThat(rig.projections.committedPosition(ReadModels.PROCESSING_GROUP))
                .isEqualTo(6);
        assertThat(committed(rig.projections.committedEvents(ReadModels.PROCESSING_GROUP)))
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 9L, 10L);
        assertThat(rig.projections.reached(HistoryProjection.NAME, 7)).isFalse();
        assertThat(rig.projections.reached(HistoryProjection.NAME, 9)).isTrue();
        assertThat(rig.projections.status(HistoryProjection.NAME).position()).isEqualTo(10);

        store(GapAwareTrackingToken.newInstance(10, Set.of()));
        assertThat(rig.projections.committedPosition(ReadModels.PROCESSING_GROUP))
                .isEqualTo(10);

        // A replay under way: it stands at its current token, and says it is replaying.
        store(ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(4), new GlobalSequenceTrackingToken(2)));
        assertThat(rig.projections.committedPosition(ReadModels.PROCESSING_GROUP))
                .isEqualTo(2);
        assertThat(committed(rig.projections.committedEvents(ReadModels.PROCESSING_GROUP)))
                .containsExactly(0L, 1L, 2L);
        ProjectionStatus replaying = rig.projections.status(HistoryProjection.NAME);
        assertThat(replaying.replaying()).isTrue();
        assertThat(replaying.rebuilding()).isTrue();
        assertThat(replaying.position()).isEqualTo(2);
        assertThat(replaying.rebuildPosition()).isEqualTo(2);

        // A processor that stored nothing has committed nothing.
        assertThat(rig.projections.committedPosition("nothing")).isZero();
        assertThat(committed(rig.projections.committedEvents("nothing"))).isEmpty();

        // Its tokens gone, the read models have committed nothing: position 1 waits, 0 asks for nothing (it is what
        // a read without minPosition passes; a JPA or JDBC store numbers its first event 1).
        rig.jdbc.update("delete from token_entry where processor_name = ?", ReadModels.PROCESSING_GROUP);
        assertThat(rig.projections.reached(HistoryProjection.NAME, 1)).isFalse();
        assertThat(rig.projections.reached(HistoryProjection.NAME, 0)).isTrue();
    }
}
