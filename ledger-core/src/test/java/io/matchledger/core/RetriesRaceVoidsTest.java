package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.core.api.AdjustPointsCommand;
import io.matchledger.core.api.AdjustmentReceipt;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RegisterPlayerCommand;
import io.matchledger.core.api.Share;
import io.matchledger.core.api.VoidMatchCommand;
import io.matchledger.core.api.VoidReceipt;
import io.matchledger.core.personal.PersonalData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lock order (SettlementBoundary), on real threads: retries of recorded matches, identical and conflicting, sent alone
 * and in groups, race voids of the same matches, new matches and adjustment retries of the same players, round after
 * round. No command
 * may meet a lock another holds while it holds one that other waits for: Axon's lock factory reports such a cycle as a
 * {@code DeadlockException} (a transient failure, which the gateway retries once), so a cycle shows as a retry that
 * is not a lost race, or as a failure. Every answer must be the one a lone command would get, and every total must
 * equal a model of what was recorded and voided.
 */
class RetriesRaceVoidsTest {

    static final int PLAYERS = 6;
    static final int ROUNDS = 40;
    static final int MATCHES_PER_ROUND = 8;
    static final int THREADS = 8;
    /** A liveness bound, not a performance target: the in-memory store answers in microseconds. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private final ScheduledExecutorService retryExecutor = Executors.newSingleThreadScheduledExecutor();
    private final JitteredRetryScheduler retries =
            JitteredRetryScheduler.builder().retryExecutor(retryExecutor).build();
    private final ExecutorService clients = Executors.newFixedThreadPool(THREADS);
    private Configuration axon;
    private GroupCommit groups;

    @AfterEach
    void stop() throws InterruptedException {
        if (groups != null) {
            groups.close();
        }
        if (axon != null) {
            axon.shutdown();
        }
        clients.shutdownNow();
        retryExecutor.shutdownNow();
    }

    @Test
    void retriesAndVoidsOfTheSameMatchesNeverWaitForEachOtherInACycle() throws Exception {
        CommandGateway gateway = start();
        groups = new GroupCommit(gateway, 2, 16, 1_000, ANSWER_WITHIN);
        List<String> players = new ArrayList<>();
        for (int p = 0; p < PLAYERS; p++) {
            players.add("p" + p);
            gateway.sendAndWait(new RegisterPlayerCommand("p" + p, "Player " + p));
        }
        Map<String, Long> model = new HashMap<>();
        Random random = new Random(24);
        int voided = 0;
        int conflicts = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // This round's matches, recorded once (the first attempts), as the model has them.
            Map<String, RecordMatchCommand> recorded = new HashMap<>();
            Map<String, MatchSettlement> firstAnswers = new HashMap<>();
            for (int m = 0; m < MATCHES_PER_ROUND; m++) {
                RecordMatchCommand match = match("r" + round + "-m" + m, players, random);
                MatchSettlement first = gateway.sendAndWait(match);
                assertThat(first.replayed()).isFalse();
                recorded.put(match.matchId(), match);
                firstAnswers.put(match.matchId(), first);
                first.players().forEach(share -> model.merge(share.playerId(), (long) share.points(), Long::sum));
            }

            // The race: for every match an identical retry alone and one in a group, a conflicting retry (other
            // players, so that it locks ledgers the match does not touch, or the same players the other way round),
            // for every other match two voids; and new matches of the same players, all at once.
            List<Attempt> attempts = new ArrayList<>();
            List<String> toVoid = new ArrayList<>();
            for (RecordMatchCommand match : recorded.values()) {
                attempts.add(new Attempt(Kind.IDENTICAL, match.matchId(), () -> gateway.sendAndWait(match)));
                attempts.add(new Attempt(
                        Kind.IDENTICAL,
                        match.matchId(),
                        () -> groups.record(match, Map.of()).get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS)));
                RecordMatchCommand conflicting = conflictingWith(match, players, random);
                attempts.add(new Attempt(
                        Kind.CONFLICTING,
                        match.matchId(),
                        random.nextBoolean()
                                ? () -> gateway.sendAndWait(conflicting)
                                : () -> groups.record(conflicting, Map.of())
                                        .get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS)));
                if (random.nextBoolean()) {
                    toVoid.add(match.matchId());
                    for (int v = 0; v < 2; v++) {
                        VoidMatchCommand voiding = new VoidMatchCommand(match.matchId(), "void " + v);
                        attempts.add(new Attempt(Kind.VOID, match.matchId(), () -> gateway.sendAndWait(voiding)));
                    }
                }
            }
            // An adjustment of a player these matches name, booked before the race, and its retries in it.
            String adjusted = players.get(random.nextInt(players.size()));
            AdjustPointsCommand adjustment = new AdjustPointsCommand(adjusted, "r" + round + "-a", 5, "bonus");
            AdjustmentReceipt booked = gateway.sendAndWait(adjustment);
            model.merge(adjusted, 5L, Long::sum);
            attempts.add(new Attempt(Kind.IDENTICAL, adjustment.adjustmentId(), () -> gateway.sendAndWait(adjustment)));
            AdjustPointsCommand otherPoints = new AdjustPointsCommand(adjusted, adjustment.adjustmentId(), 7, "bonus");
            attempts.add(
                    new Attempt(Kind.CONFLICTING, adjustment.adjustmentId(), () -> gateway.sendAndWait(otherPoints)));
            for (int n = 0; n < MATCHES_PER_ROUND / 2; n++) {
                RecordMatchCommand fresh = match("r" + round + "-n" + n, players, random);
                attempts.add(new Attempt(
                        Kind.NEW,
                        fresh.matchId(),
                        () -> groups.record(fresh, Map.of()).get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS)));
            }
            Collections.shuffle(attempts, random);
            Map<Attempt, Object> answers = race(attempts);

            // Every answer is what a lone command would have answered.
            Map<String, List<VoidReceipt>> voids = new HashMap<>();
            for (Attempt attempt : attempts) {
                Object answer = answers.get(attempt);
                switch (attempt.kind()) {
                    case IDENTICAL -> {
                        if (answer instanceof AdjustmentReceipt receipt) {
                            assertThat(receipt).as("%s", attempt).isEqualTo(replayOf(booked));
                        } else {
                            MatchSettlement first = firstAnswers.get(attempt.matchId());
                            assertThat(answer).as("%s", attempt).isInstanceOf(MatchSettlement.class);
                            MatchSettlement retried = (MatchSettlement) answer;
                            assertThat(retried.replayed()).isTrue();
                            assertThat(retried.players()).isEqualTo(first.players());
                            assertThat(retried.recordedAt()).isEqualTo(first.recordedAt());
                        }
                    }
                    case CONFLICTING -> {
                        assertThat(answer).as("%s", attempt).isInstanceOf(LedgerRefusal.class);
                        assertThat(((LedgerRefusal) answer).reason()).isEqualTo(LedgerRefusal.Reason.CONFLICT);
                        conflicts++;
                    }
                    case VOID -> {
                        assertThat(answer).as("%s", attempt).isInstanceOf(VoidReceipt.class);
                        voids.computeIfAbsent(attempt.matchId(), id -> new ArrayList<>())
                                .add((VoidReceipt) answer);
                    }
                    case NEW -> {
                        assertThat(answer).as("%s", attempt).isInstanceOf(MatchSettlement.class);
                        MatchSettlement settled = (MatchSettlement) answer;
                        assertThat(settled.replayed()).isFalse();
                        settled.players()
                                .forEach(share -> model.merge(share.playerId(), (long) share.points(), Long::sum));
                    }
                }
            }
            for (String matchId : toVoid) {
                List<VoidReceipt> receipts = voids.get(matchId);
                // One void took effect; the other answered it, with its reason and reversals.
                assertThat(receipts).as(matchId).hasSize(2);
                assertThat(receipts.stream().filter(r -> !r.replayed()))
                        .as(matchId)
                        .hasSize(1);
                assertThat(receipts.get(0).reason()).isEqualTo(receipts.get(1).reason());
                assertThat(receipts.get(0).reversals())
                        .isEqualTo(receipts.get(1).reversals());
                for (Share share : firstAnswers.get(matchId).players()) {
                    model.merge(share.playerId(), (long) -share.points(), Long::sum);
                }
                voided++;
            }
        }

        // No command failed on a lock: every retry the gateway scheduled was for a lost race, and none ran out.
        assertThat(retries.otherRetries())
                .as("commands retried after a failure that was not a lost race")
                .isZero();
        assertThat(retries.exhausted()).as("commands whose retries ran out").isZero();
        // Each ledger's own total, as its next decision sees it, equals the model.
        for (String player : players) {
            AdjustmentReceipt probe =
                    gateway.sendAndWait(new AdjustPointsCommand(player, "probe-" + player, 1, "reads the total"));
            assertThat(probe.totalAfter() - 1).as("total of %s", player).isEqualTo(model.getOrDefault(player, 0L));
        }
        assertThat(voided).isPositive();
        assertThat(conflicts).isEqualTo(ROUNDS * (MATCHES_PER_ROUND + 1));
    }

    enum Kind {
        IDENTICAL,
        CONFLICTING,
        VOID,
        NEW
    }

    /** One command of the race; {@code key} is its match id (or adjustment id). */
    record Attempt(Kind kind, String matchId, Callable<Object> send) {

        @Override
        public String toString() {
            return kind + " " + matchId;
        }
    }

    /** Runs the attempts on the client threads, released together; each answer, or the refusal it got. */
    private Map<Attempt, Object> race(List<Attempt> attempts) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Map<Attempt, Future<Object>> running = new HashMap<>();
        for (Attempt attempt : attempts) {
            running.put(attempt, clients.submit(() -> {
                go.await();
                try {
                    return attempt.send().call();
                } catch (LedgerRefusal refusal) {
                    return refusal;
                } catch (ExecutionException failed) {
                    if (failed.getCause() instanceof LedgerRefusal refusal) {
                        return refusal;
                    }
                    throw failed;
                }
            }));
        }
        go.countDown();
        Map<Attempt, Object> answers = new HashMap<>();
        for (var entry : running.entrySet()) {
            answers.put(entry.getKey(), entry.getValue().get(ANSWER_WITHIN.toSeconds(), TimeUnit.SECONDS));
        }
        return answers;
    }

    private static AdjustmentReceipt replayOf(AdjustmentReceipt first) {
        return new AdjustmentReceipt(
                first.adjustmentId(),
                first.playerId(),
                first.points(),
                first.reason(),
                first.totalAfter(),
                first.recordedAt(),
                true);
    }

    private static RecordMatchCommand match(String matchId, List<String> players, Random random) {
        String first = players.get(random.nextInt(players.size()));
        String second = players.get(random.nextInt(players.size()));
        while (second.equals(first)) {
            second = players.get(random.nextInt(players.size()));
        }
        return new RecordMatchCommand(
                matchId, first, second, random.nextInt(4) == 0 ? Outcome.DRAW : Outcome.WIN, null);
    }

    /** The same match id with other content: two other players, or (for a win) the same two the other way round. */
    private static RecordMatchCommand conflictingWith(RecordMatchCommand match, List<String> players, Random random) {
        List<String> others = new ArrayList<>(players);
        others.remove(match.firstPlayerId());
        others.remove(match.secondPlayerId());
        Collections.shuffle(others, random);
        if (match.outcome() == Outcome.WIN && random.nextBoolean()) {
            return new RecordMatchCommand(
                    match.matchId(), match.secondPlayerId(), match.firstPlayerId(), Outcome.WIN, null);
        }
        return new RecordMatchCommand(match.matchId(), others.get(0), others.get(1), match.outcome(), null);
    }

    /** The ledger as the service configures it, on an in-memory store that refuses a taken (stream, sequence). */
    private CommandGateway start() {
        Serializer serializer = LedgerFixture.serializer();
        LedgerFixture.JsonSnapshotStorage store = new LedgerFixture.JsonSnapshotStorage(serializer);
        Configurer configurer = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> store);
        LedgerModule ledger =
                new LedgerModule(new WeakReferenceCache(), 250, Runnable::run, retries, TestNames.PERSONAL);
        ledger.configureModule(configurer);
        configurer.registerComponent(PersonalData.class, c -> TestNames.PERSONAL);
        configurer.registerComponent(CommandGateway.class, c -> ledger.commandGateway(c.commandBus()));
        axon = configurer.start();
        return axon.commandGateway();
    }
}
