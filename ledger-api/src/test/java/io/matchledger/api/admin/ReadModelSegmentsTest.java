package io.matchledger.api.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.DefineSeasonsCommand;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.api.VoidMatchCommand;
import io.matchledger.projections.ReadModels;
import io.matchledger.projections.lifecycle.ProcessorShutdown;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The read models do not depend on how their work is split (ADR 0018): the same ledger (matches, draws, voids,
 * adjustments, renames, a season) projected with one segment, then from the first event again with two and with four,
 * gives the same rows in every table, and the work really was spread (every segment claimed and processed).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "axon.eventhandling.processors.read-models.thread-count=4")
@ActiveProfiles("test")
@DirtiesContext
class ReadModelSegmentsTest {

    static final List<String> TABLES = List.of(
            "player_standing",
            "points_tally",
            "player_history",
            "ledger_entry",
            "match_record",
            "season_standing",
            "season_tally",
            "season");

    @Autowired
    CommandGateway commands;

    @Autowired
    EventProcessingConfiguration processing;

    @Autowired
    EventStore eventStore;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void oneTwoAndFourSegmentsGiveTheSameRows() {
        aLedger();
        TrackingEventProcessor processor = processor();
        awaitCaughtUp(processor, 1);
        Map<String, List<Map<String, Object>>> oneSegment = rows();
        assertThat(oneSegment.get("ledger_entry")).hasSizeGreaterThan(1_000);

        for (int segments : new int[] {2, 4}) {
            projectAgain(processor, segments);
            awaitCaughtUp(processor, segments);
            assertThat(rows()).as("%d segments", segments).isEqualTo(oneSegment);
        }
    }

    /** Players, a season that holds the matches, matches in groups, draws, voids, adjustments and renames. */
    void aLedger() {
        List<String> players = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            players.add("seg-" + i);
            commands.sendAndWait(new RegisterPlayerCommand("seg-" + i, "Segment " + i));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        commands.sendAndWait(new DefineSeasonsCommand(List.of(new SeasonWindow(
                "seg-season",
                "Segments",
                now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1)),
                Duration.ZERO))));
        Random random = new Random(3);
        List<String> matchIds = new ArrayList<>();
        for (int group = 0; group < 20; group++) {
            List<RecordMatchesCommand.Entry> entries = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String a = players.get(random.nextInt(players.size()));
                String b = players.get(random.nextInt(players.size()));
                while (b.equals(a)) {
                    b = players.get(random.nextInt(players.size()));
                }
                String id = "seg-m-" + group + "-" + i;
                matchIds.add(id);
                Outcome outcome = random.nextInt(4) == 0 ? Outcome.DRAW : Outcome.WIN;
                entries.add(new RecordMatchesCommand.Entry(new RecordMatchCommand(id, a, b, outcome, null), Map.of()));
            }
            commands.sendAndWait(new RecordMatchesCommand(entries));
        }
        for (int i = 0; i < 30; i++) {
            commands.sendAndWait(new VoidMatchCommand(matchIds.get(i * 17), "segments test"));
        }
        for (int i = 0; i < 10; i++) {
            commands.sendAndWait(new AdjustPointsCommand(players.get(i), "seg-adj-" + i, 5 + i, "segments test"));
            commands.sendAndWait(new RegisterPlayerCommand(players.get(i * 3), "Renamed " + i));
        }
    }

    /** The processor stopped, the read models emptied and its tokens set to {@code segments} from the first event. */
    void projectAgain(TrackingEventProcessor processor, int segments) {
        ProcessorShutdown.shutDown(processor);
        transaction.executeWithoutResult(status -> {
            TABLES.forEach(table -> jdbc.update("delete from " + table));
            jdbc.update("delete from token_entry where processor_name = ?", processor.getName());
        });
        TokenStore tokens = processing.tokenStore(ReadModels.PROCESSING_GROUP);
        transaction.executeWithoutResult(status -> tokens.initializeTokenSegments(processor.getName(), segments, null));
        processor.start();
    }

    void awaitCaughtUp(TrackingEventProcessor processor, int segments) {
        long head = eventStore.createHeadToken().position().orElse(0);
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
            Map<Integer, EventTrackerStatus> status = processor.processingStatus();
            assertThat(status).as("segments claimed").hasSize(segments);
            status.values().forEach(segment -> {
                assertThat(segment.isErrorState()).as("%s", segment).isFalse();
                assertThat(segment.getCurrentPosition().orElse(0)).isGreaterThanOrEqualTo(head);
            });
        });
    }

    TrackingEventProcessor processor() {
        return processing
                .eventProcessorByProcessingGroup(ReadModels.PROCESSING_GROUP, TrackingEventProcessor.class)
                .orElseThrow();
    }

    /** Every row of every read-model table but {@code version}, which counts the batches that wrote a row. */
    Map<String, List<Map<String, Object>>> rows() {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        rows.put("player_standing", jdbc.queryForList("select * from player_standing order by player_id"));
        rows.put(
                "points_tally",
                jdbc.queryForList("select points, players from points_tally where players <> 0 order by points"));
        rows.put(
                "player_history",
                jdbc.queryForList("select player_id, matches, last_sequence from player_history order by player_id"));
        rows.put(
                "ledger_entry",
                jdbc.queryForList("select player_id, sequence, kind, match_number, match_id, adjustment_id, "
                        + "opponent_id, result, points, total_after, voided, reason, occurred_at, recorded_at "
                        + "from ledger_entry order by player_id, sequence"));
        rows.put(
                "match_record",
                jdbc.queryForList("select match_id, outcome, first_player_id, first_result, first_points, "
                        + "second_player_id, second_result, second_points, occurred_at, recorded_at, voided, "
                        + "voided_at, season_id, season_late, void_late from match_record order by match_id"));
        rows.put("season_standing", jdbc.queryForList("select * from season_standing order by season_id, player_id"));
        rows.put(
                "season_tally",
                jdbc.queryForList("select season_id, points, players from season_tally where players <> 0 "
                        + "order by season_id, points"));
        return rows;
    }
}
