package io.matchledger.bench;

import static io.matchledger.bench.ServiceUnderTest.seconds;

import io.matchledger.bench.BenchReport.Replay;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.HistoryProjection;
import io.matchledger.projections.MatchesProjection;
import io.matchledger.projections.StandingsProjection;
import io.matchledger.projections.lifecycle.ProcessorShutdown;
import io.matchledger.projections.lifecycle.ProjectionStatus;
import io.matchledger.projections.lifecycle.Projections;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Phase 3, one large seeding straight into the event store (the players for the reads, the long histories and enough
 * matches for the replay), a restart as after restoring a backup, then each projection rebuilt from event 0 as
 * {@code POST /api/admin/projections/{name}/rebuild} does, the processors stopped so that each is measured alone.
 */
final class SeedAndReplayPhase {

    private final ServiceUnderTest sut;
    /** When the seeding began: the season of the season reads starts there and holds every seeded match. */
    private Instant seededFrom;

    SeedAndReplayPhase(ServiceUnderTest sut) {
        this.sut = sut;
    }

    Instant seededFrom() {
        return seededFrom;
    }

    LedgerSeed.Seeded seed() {
        BenchSettings settings = sut.settings;
        seededFrom = Instant.now();
        // Stopped while the store fills: they would compete with the seeding for the two cores, and the replay below
        // must not find the standings half rebuilt already.
        sut.projections.streamingProcessors().values().forEach(ProcessorShutdown::shutDown);
        sut.progress.begin(
                sut.name,
                String.format(
                        Locale.ROOT,
                        "seeding %,d players, histories %s and matches up to %,d " + "events",
                        settings.readPlayers(),
                        settings.historySizes(),
                        settings.replayEvents()));
        LedgerSeed seed = new LedgerSeed(
                sut.service.bean(EventStorageEngine.class),
                sut.service.bean(TransactionTemplate.class),
                sut.service.bean(PersonalData.class),
                settings.seedBatch(),
                sut.progress,
                sut.name);
        LedgerSeed.Seeded seeded = seed.seed(settings.readPlayers(), settings.historySizes(), settings.replayEvents());
        sut.progress.step(
                sut.name,
                String.format(
                        Locale.ROOT,
                        "seeded %,d events, %,.0f events/s",
                        seeded.events(),
                        seeded.events() / seeded.seconds()),
                seeded.seconds());
        // The seed went around the event store, which a service only sees that way when its store was restored from
        // a backup: restart it, as one would then. A running store would also see the million events for the first
        // time when a processor next tails it, and read them all into its cache of recent events at once.
        sut.restart();
        // The processors start with the service; the replay below is measured alone. Stopped a moment after they
        // started, Axon's own shutDown() could leave one without a thread for good: ProcessorShutdown gives it back.
        sut.projections.streamingProcessors().values().forEach(ProcessorShutdown::shutDown);
        return seeded;
    }

    Replay replay(LedgerSeed.Seeded seeded) {
        return replay(seeded, true);
    }

    /**
     * The rebuilds; then, when {@code thenLive}, the live processors started again and awaited at the head, as the
     * phases after this one need (the rebuilds alone do not).
     */
    Replay replay(LedgerSeed.Seeded seeded, boolean thenLive) {
        long events = sut.count("select count(*) from domain_event_entry");
        long head = sut.head();
        // What POST /api/admin/projections/{name}/rebuild does, for each projection in turn, the processors stopped
        // so that each rebuild is measured alone: beside the live model, swapped in when caught up.
        Map<String, Double> rates = new LinkedHashMap<>();
        double[] firstBatch = {-1};
        double standingsSeconds = 0;
        double othersSeconds = 0;
        for (String projection : List.of(StandingsProjection.NAME, MatchesProjection.NAME, HistoryProjection.NAME)) {
            sut.progress.begin(
                    sut.name, String.format(Locale.ROOT, "rebuilding %s from %,d events", projection, events));
            CpuMeter.Reading cpuBefore = sut.cpu.read();
            ThreadCpu.Reading threadsBefore = ThreadCpu.read();
            ThreadCpu.Following rebuildThread = new ThreadCpu.Following("EventProcessor[" + projection + "_rebuild]");
            double seconds = rebuild(projection, head, firstBatch, rebuildThread);
            CpuMeter.Reading cpuAfter = sut.cpu.read();
            // Where the rest of the process's CPU went meanwhile (long-lived threads; the rebuild's own is above).
            Map<String, Double> others = ThreadCpu.usPer(threadsBefore, ThreadCpu.read(), events);
            sut.progress.note(
                    sut.name,
                    String.format(Locale.ROOT, "%s rebuild, other threads' CPU, us per event: %s", projection, others),
                    true);
            Double postgresUs = sut.cpu.postgresUsPer(cpuBefore, cpuAfter, events);
            sut.progress.note(
                    sut.name,
                    String.format(
                            Locale.ROOT,
                            "%s rebuild CPU: %.2f us per event in the service, %.2f on the rebuild's thread%s",
                            projection,
                            CpuMeter.processUsPer(cpuBefore, cpuAfter, events),
                            rebuildThread.nanos() / 1e3 / Math.max(1, events),
                            postgresUs == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT, ", %.2f in PostgreSQL (all its processes)", postgresUs)),
                    true);
            rates.put(projection, events / seconds);
            if (projection.equals(StandingsProjection.NAME)) {
                standingsSeconds = seconds;
            } else {
                othersSeconds += seconds;
            }
            sut.progress.step(
                    sut.name,
                    String.format(
                            Locale.ROOT,
                            "%s rebuilt: %,d events, %,.0f events/s",
                            projection,
                            events,
                            events / seconds),
                    seconds);
        }
        if (thenLive) {
            Map<String, StreamingEventProcessor> processors = sut.projections.streamingProcessors();
            processors.values().stream().filter(p -> !p.isRunning()).forEach(StreamingEventProcessor::start);
            sut.projections.awaitHead(processors.values(), head, "projections");
        }
        return new Replay(
                events,
                seeded.seconds(),
                seeded.events() / seeded.seconds(),
                Math.max(firstBatch[0], 0),
                standingsSeconds,
                events / standingsSeconds,
                othersSeconds,
                rates);
    }

    /** Rebuilds one projection from the first event; the seconds until it was swapped in and stood at the head. */
    private double rebuild(String projection, long head, double[] firstBatch, ThreadCpu.Following thread) {
        Projections projections = sut.service.bean(Projections.class);
        // The processor that keeps it: one may keep several read models (issue 25).
        StreamingEventProcessor processor = sut.service
                .bean(Configuration.class)
                .eventProcessingConfiguration()
                .eventProcessor(projections.processorOf(projection), StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor runs " + projection));
        long started = System.nanoTime();
        projections.rebuild(projection, "benchmark");
        long deadline = started + TimeUnit.MINUTES.toNanos(sut.settings.quick() ? 3 : 60);
        long sampled = 0;
        while (true) {
            if (System.nanoTime() - sampled > TimeUnit.MILLISECONDS.toNanos(200)) {
                thread.sample();
                sampled = System.nanoTime();
            }
            ProjectionStatus status = projections.status(projection);
            if (firstBatch[0] < 0 && status.rebuildPosition() > 0) {
                firstBatch[0] = seconds(started);
            }
            if (!status.rebuilding()) {
                // A processor keeping several read models (issue 25) stays where it was (stopped here) while one of
                // them is rebuilt and swapped in: its position says nothing of the rebuild, its error does.
                boolean shared = !processor.getName().equals(projection);
                if (shared
                        ? status.error() != null || status.failingAt() != null
                        : projections.committedPosition(processor.getName()) < head) {
                    throw new IllegalStateException(
                            "the " + projection + " rebuild failed (see the service's log): " + status);
                }
                return seconds(started);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(projection + " rebuild did not reach event " + head + ": " + status);
            }
            sut.progress.note(
                    sut.name,
                    String.format(
                            Locale.ROOT,
                            "%s rebuild at %,d of %,d (%d%%)",
                            projection,
                            status.rebuildPosition(),
                            head,
                            100 * status.rebuildPosition() / Math.max(1, head)),
                    false);
            // Not more often: the status reads cost the two cores the rebuild runs on (about 40 us per event at 5 ms).
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
