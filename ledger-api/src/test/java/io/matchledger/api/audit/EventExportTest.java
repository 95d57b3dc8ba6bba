package io.matchledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.core.api.PointsAdjusted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The export's framing and its one subtle rule, on the real store: an export must not run past a position that a
 * write still in flight may fill, however long it takes to commit, or a client resuming from the last token would
 * never see it; and it steps over a hole once the store has proved that no write can fill it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("test")
@DirtiesContext
class EventExportTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger STREAMS = new AtomicInteger();

    @Autowired
    EventExport export;

    @Autowired
    EventStorageEngine engine;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void stopsBeforeAWriteInFlightHoweverLongItTakesAndResumesWithIt() throws Exception {
        long first = append();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> late = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
            engine.appendEvents(event("late"));
            appended.countDown();
            awaitQuietly(commit);
        }));
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        long after = append();

        // Time passes (past the moment the store asks for evidence): the write is still in flight, so nothing past it.
        Thread.sleep(300);
        assertThat(tokens(export(first - 1, 100))).containsExactly(first);
        assertThat(tokens(export(first, 100))).isEmpty();

        commit.countDown();
        late.get(10, TimeUnit.SECONDS);
        List<Long> resumed = tokens(export(first, 100));
        assertThat(resumed).hasSize(2).endsWith(after);
        assertThat(resumed.get(0)).isBetween(first + 1, after - 1);
    }

    @Test
    void stepsOverAHoleOnceNoWriteCanFillIt() throws Exception {
        long first = append();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch rollBack = new CountDownLatch(1);
        CompletableFuture<Void> rolledBack =
                CompletableFuture.runAsync(() -> transaction.executeWithoutResult(status -> {
                    engine.appendEvents(event("rolled-back"));
                    appended.countDown();
                    awaitQuietly(rollBack);
                    status.setRollbackOnly();
                }));
        assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
        long after = append();
        assertThat(tokens(export(first, 100))).isEmpty();

        rollBack.countDown();
        rolledBack.get(10, TimeUnit.SECONDS);
        // The store proves the hole within moments (it waits for the appends in flight when it saw the hole).
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tokens(export(first - 1, 100))).containsExactly(first, after));
    }

    @Test
    void writesPagesUpToTheLimitAndResumesExactlyAfterTheToken() throws IOException {
        long before = jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
        transaction.executeWithoutResult(status -> {
            for (int i = 0; i < 2_500; i++) {
                engine.appendEvents(event("page"));
            }
        });

        List<String> all = export(before, 2_500);
        List<String> firstPart = export(before, 1_234);
        long resumeAfter = tokens(firstPart).get(1_233);
        List<String> rest = export(resumeAfter, 10_000);

        assertThat(tokens(all)).hasSize(2_500);
        assertThat(firstPart).isEqualTo(all.subList(0, 1_234));
        assertThat(rest).isEqualTo(all.subList(1_234, 2_500));
    }

    @Test
    void storedJsonIsWrittenAsItIsAndAnythingElseCannotBreakTheLines() throws IOException {
        Instant at = Instant.parse("2026-11-26T11:59:00.123456Z");
        long one = store(at, "{\"playerId\":\"lubien\",\"points\":3}", "{\"requestId\":\"r-1\"}");
        store(at, "{\n  \"playerId\" : \"enemy\"\n}", "{}");
        long three = store(at, "<xml>not json</xml>", "{\n  \"requestId\" : \"r-3\"\n}");

        List<String> lines = export(one - 1, 3);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .contains("\"payload\":{\"playerId\":\"lubien\",\"points\":3}", "\"metadata\":{\"requestId\":\"r-1\"}");
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.at("/payload/playerId").asText()).isEqualTo("enemy");
        JsonNode third = JSON.readTree(lines.get(2));
        assertThat(third.get("payload").asText()).isEqualTo("<xml>not json</xml>");
        assertThat(third.at("/metadata/requestId").asText()).isEqualTo("r-3");
        assertThat(third.get("token").asLong()).isEqualTo(three);
        assertThat(third.get("aggregateId").asText()).isEqualTo("raw-" + three);
        assertThat(third.get("sequence").asLong()).isEqualTo(0);
        assertThat(third.get("type").asText()).isEqualTo("PointsAdjusted");
        assertThat(third.get("payloadType").asText()).isEqualTo("io.matchledger.core.api.PointsAdjusted");
        assertThat(third.get("timestamp").asText()).isEqualTo(DateTimeUtils.formatInstant(at));
    }

    /** Appends one event in a transaction of its own; returns its global index. */
    long append() {
        String stream = "export-" + STREAMS.incrementAndGet();
        transaction.executeWithoutResult(status -> engine.appendEvents(event(stream)));
        return jdbc.queryForObject(
                "select global_index from domain_event_entry where aggregate_identifier = ?", Long.class, stream);
    }

    static GenericDomainEventMessage<PointsAdjusted> event(String prefix) {
        String stream = prefix.startsWith("export-") ? prefix : prefix + "-" + STREAMS.incrementAndGet();
        return new GenericDomainEventMessage<>(
                "Player", stream, 0, new PointsAdjusted(stream, "adj-" + stream, 1, "export test", 1));
    }

    /** A row as a store might hold it, written past the engine (Axon itself cannot read one without metadata). */
    long store(Instant at, String payload, String metadata) {
        long token = jdbc.queryForObject("select next value for domain_event_entry_seq", Long.class);
        jdbc.update(
                "insert into domain_event_entry (global_index, type, aggregate_identifier, sequence_number, "
                        + "event_identifier, time_stamp, payload_type, payload_revision, payload, meta_data) "
                        + "values (?, 'Player', ?, 0, ?, ?, ?, null, ?, ?)",
                token,
                "raw-" + token,
                UUID.randomUUID().toString(),
                DateTimeUtils.formatInstant(at),
                "io.matchledger.core.api.PointsAdjusted",
                payload.getBytes(StandardCharsets.UTF_8),
                metadata.getBytes(StandardCharsets.UTF_8));
        return token;
    }

    List<String> export(long after, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written = export.write(after, limit, out);
        String body = out.toString(StandardCharsets.UTF_8);
        List<String> lines =
                body.isEmpty() ? List.of() : List.of(body.split("\n", -1)).subList(0, (int) written);
        assertThat(body).endsWith(written == 0 ? "" : "\n");
        return lines;
    }

    static List<Long> tokens(List<String> lines) throws IOException {
        List<Long> tokens = new ArrayList<>();
        for (String line : lines) {
            tokens.add(JSON.readTree(line).get("token").asLong());
        }
        return tokens;
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
