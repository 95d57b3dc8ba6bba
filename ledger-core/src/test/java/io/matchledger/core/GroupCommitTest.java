package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.matchledger.core.api.LedgerBusy;
import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.LedgerTimeout;
import io.matchledger.core.api.MatchAnswer;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.Message;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanAttributesProvider;
import org.axonframework.tracing.SpanFactory;
import org.junit.jupiter.api.Test;

/**
 * The lanes themselves, on gateways that answer as the test says: a group that never answers (as seen during a database
 * outage), a lost race, a refusal, a failure.
 */
class GroupCommitTest {

    @Test
    void aGroupThatNeverAnswersIsAnsweredLateAndItsLaneGoesOn() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        CommandGateway gateway = (CommandGateway) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CommandGateway.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("send")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    // The first group hangs for good; the next ones are refused at once, so their answer is quick.
                    return sent.incrementAndGet() == 1
                            ? new CompletableFuture<>()
                            : CompletableFuture.failedFuture(new IllegalStateException("no"));
                });
        GroupCommit groups = new GroupCommit(gateway, 1, 64, 100, Duration.ofMillis(300));
        try {
            CompletableFuture<MatchSettlement> hung = groups.record(match("m-1"), Map.of());
            // Its group was sent: it may yet be recorded.
            assertThatThrownBy(() -> hung.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(LedgerTimeout.class);
            // The lane waits twice the timeout for the hung group, then goes on: a match queued meanwhile is answered
            // busy at its deadline and never sent; the first one it takes after is sent (and refused at once).
            AtomicInteger next = new AtomicInteger(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                CompletableFuture<MatchSettlement> answer =
                        groups.record(match("m-" + next.incrementAndGet()), Map.of());
                Throwable failure = catchThrowable(() -> answer.get(10, TimeUnit.SECONDS));
                assertThat(failure).isInstanceOf(ExecutionException.class);
                if (failure.getCause() instanceof LedgerBusy) {
                    return false;
                }
                assertThat(failure).hasCauseInstanceOf(IllegalStateException.class);
                return true;
            });
            assertThat(sent.get()).isEqualTo(2);
        } finally {
            groups.close();
        }
    }

    @Test
    void aMatchQueuedBehindAGroupThatHangsIsAnsweredAtItsOwnDeadlineAndNeverSent() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        CompletableFuture<List<MatchAnswer>> hanging = new CompletableFuture<>();
        CommandGateway gateway = (CommandGateway) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CommandGateway.class}, (proxy, method, args) -> {
                    sentGroups.add(((RecordMatchesCommand) args[0])
                            .matches().stream().map(e -> e.match().matchId()).toList());
                    return hanging;
                });
        // One lane, whose first group answers only when the test says: a database that went silent under it.
        GroupCommit groups = new GroupCommit(gateway, 1, 64, 100, Duration.ofSeconds(1));
        try {
            CompletableFuture<MatchSettlement> first = groups.record(match("first"), Map.of());
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !sentGroups.isEmpty());
            CompletableFuture<MatchSettlement> queued = groups.record(match("queued"), Map.of());
            // Answered at its own deadline, not after the group ahead of it and then its own: not recorded, busy.
            assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LedgerBusy.class);
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LedgerTimeout.class);
            // The group fails at last (the driver gave up); the lane goes on, and never sends the expired match.
            hanging.completeExceptionally(new IllegalStateException("socket timeout"));
            CompletableFuture<MatchSettlement> later = groups.record(match("later"), Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> sentGroups.size() == 2);
            assertThat(sentGroups).containsExactly(List.of("first"), List.of("later"));
            assertThatThrownBy(() -> later.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        } finally {
            groups.close();
        }
    }

    @Test
    void moreThanTheCapacityIsRefusedWholeAndNothingOfItIsQueued() throws Exception {
        CommandGateway never = (CommandGateway) Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {CommandGateway.class},
                (proxy, method, args) -> new CompletableFuture<>());
        GroupCommit groups = new GroupCommit(never, 1, 2, 3, Duration.ofSeconds(30));
        try {
            List<RecordMatchCommand> four = List.of(match("c-1"), match("c-2"), match("c-3"), match("c-4"));
            assertThatThrownBy(() -> groups.recordAll(four.stream()
                            .map(m -> new RecordMatchesCommand.Entry(m, Map.of()))
                            .toList()))
                    .isInstanceOf(LedgerBusy.class);
        } finally {
            groups.close();
        }
    }

    @Test
    void aGroupThatLostARaceIsSplitSoOnlyTheHalvesWithTheHotMatchRunAgain() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        CompletableFuture<List<MatchAnswer>> firstGroup = new CompletableFuture<>();
        // Another process keeps writing the ledger of "hot": any group with it and something else loses the race.
        CommandGateway gateway = (CommandGateway) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CommandGateway.class}, (proxy, method, args) -> {
                    List<String> ids = ((RecordMatchesCommand) args[0])
                            .matches().stream().map(e -> e.match().matchId()).toList();
                    sentGroups.add(ids);
                    if (ids.equals(List.of("first"))) {
                        return firstGroup;
                    }
                    if (ids.size() > 1 && ids.contains("hot")) {
                        return CompletableFuture.failedFuture(new ConcurrencyException("hot was written elsewhere"));
                    }
                    return CompletableFuture.completedFuture(
                            ids.stream().map(GroupCommitTest::recorded).toList());
                });
        GroupCommit groups = new GroupCommit(gateway, 1, 64, 100, Duration.ofSeconds(30));
        try {
            CompletableFuture<MatchSettlement> first = groups.record(match("first"), Map.of());
            while (sentGroups.isEmpty()) {
                Thread.onSpinWait(); // until the lane holds the first group
            }
            List<String> eight = List.of("m-1", "m-2", "m-3", "hot", "m-5", "m-6", "m-7", "m-8");
            List<CompletableFuture<MatchSettlement>> answers = groups.recordAll(eight.stream()
                    .map(id -> new RecordMatchesCommand.Entry(match(id), Map.of()))
                    .toList());
            // The eight queued while the lane waited for the first group, so they are one group.
            firstGroup.complete(List.of(recorded("first")));
            assertThat(first.get(10, TimeUnit.SECONDS).matchId()).isEqualTo("first");
            for (int i = 0; i < eight.size(); i++) {
                assertThat(answers.get(i).get(10, TimeUnit.SECONDS).matchId()).isEqualTo(eight.get(i));
            }
            assertThat(sentGroups)
                    .containsExactly(
                            List.of("first"),
                            eight,
                            List.of("m-1", "m-2", "m-3", "hot"),
                            List.of("m-1", "m-2"),
                            List.of("m-3", "hot"),
                            List.of("m-3"),
                            List.of("hot"),
                            List.of("m-5", "m-6", "m-7", "m-8"));
            assertThat(groups.splits()).as("groups split after a lost race").isEqualTo(3);
        } finally {
            groups.close();
        }
    }

    @Test
    void aLoneMatchThatLostARaceIsNotSplitButAnsweredWithTheLostRaceForTheGatewayToRetry() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        ConcurrencyException lost = new ConcurrencyException("hot was written elsewhere");
        GroupCommit groups = new GroupCommit(
                gateway(sentGroups, ids -> CompletableFuture.failedFuture(lost)), 1, 64, 100, Duration.ofSeconds(30));
        try {
            Throwable failure =
                    catchThrowable(() -> groups.record(match("hot"), Map.of()).get(10, TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(ExecutionException.class).hasCause(lost);
            assertThat(sentGroups).containsExactly(List.of("hot"));
            assertThat(groups.splits()).isZero();
        } finally {
            groups.close();
        }
    }

    @Test
    void eachMatchOfAGroupGetsItsOwnAnswerARefusalIncluded() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        CompletableFuture<List<MatchAnswer>> firstGroup = new CompletableFuture<>();
        GroupCommit groups = new GroupCommit(
                gateway(
                        sentGroups,
                        ids -> ids.equals(List.of("first"))
                                ? firstGroup
                                : CompletableFuture.completedFuture(ids.stream()
                                        .map(id -> id.equals("m-2")
                                                ? MatchAnswer.refused(
                                                        LedgerRefusal.ruleBroken("m-2 is against oneself"))
                                                : recorded(id))
                                        .toList())),
                1,
                64,
                100,
                Duration.ofSeconds(30));
        try {
            CompletableFuture<MatchSettlement> first = groups.record(match("first"), Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> !sentGroups.isEmpty());
            List<CompletableFuture<MatchSettlement>> answers = groups.recordAll(entries("m-1", "m-2", "m-3"));
            firstGroup.complete(List.of(recorded("first")));
            assertThat(first.get(10, TimeUnit.SECONDS).matchId()).isEqualTo("first");
            assertThat(answers.get(0).get(10, TimeUnit.SECONDS).matchId()).isEqualTo("m-1");
            assertThat(catchThrowable(() -> answers.get(1).get(10, TimeUnit.SECONDS)))
                    .hasCauseInstanceOf(LedgerRefusal.class)
                    .hasMessageContaining("m-2 is against oneself");
            assertThat(answers.get(2).get(10, TimeUnit.SECONDS).matchId()).isEqualTo("m-3");
            assertThat(sentGroups).containsExactly(List.of("first"), List.of("m-1", "m-2", "m-3"));
        } finally {
            groups.close();
        }
    }

    @Test
    void aGroupTakesAtMostMaxGroupMatchesAndReportsTheSizeOfEachGroup() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CompletableFuture<List<MatchAnswer>> firstGroup = new CompletableFuture<>();
        GroupCommit groups = new GroupCommit(
                holdingTheFirstGroup(sentGroups, firstGroup),
                1,
                3,
                100,
                Duration.ofSeconds(30),
                NoOpSpanFactory.INSTANCE,
                sizes::add);
        try {
            CompletableFuture<MatchSettlement> first = groups.record(match("first"), Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> !sentGroups.isEmpty());
            List<CompletableFuture<MatchSettlement>> answers =
                    groups.recordAll(entries("m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "m-7", "m-8"));
            firstGroup.complete(List.of(recorded("first")));
            first.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<MatchSettlement> answer : answers) {
                answer.get(10, TimeUnit.SECONDS);
            }
            assertThat(sentGroups)
                    .containsExactly(
                            List.of("first"),
                            List.of("m-1", "m-2", "m-3"),
                            List.of("m-4", "m-5", "m-6"),
                            List.of("m-7", "m-8"));
            assertThat(sizes).containsExactly(1, 3, 3, 2);
        } finally {
            groups.close();
        }
    }

    @Test
    void theCapacityCountsOnlyMatchesStillQueued() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        GroupCommit groups = new GroupCommit(
                gateway(
                        sentGroups,
                        ids -> CompletableFuture.completedFuture(
                                ids.stream().map(GroupCommitTest::recorded).toList())),
                1,
                2,
                3,
                Duration.ofSeconds(30));
        try {
            // Exactly the capacity is taken; a refused request leaves no trace in the count, nor do answered ones.
            for (int round = 0; round < 3; round++) {
                String prefix = "r" + round + "-";
                assertThatThrownBy(() -> groups.recordAll(entries(prefix + "a", prefix + "b", prefix + "c", "x")))
                        .isInstanceOf(LedgerBusy.class)
                        .hasMessageContaining("3 matches are queued already");
                for (CompletableFuture<MatchSettlement> answer :
                        groups.recordAll(entries(prefix + "1", prefix + "2", prefix + "3"))) {
                    answer.get(10, TimeUnit.SECONDS);
                }
            }
            assertThat(sentGroups.stream().flatMap(List::stream)).hasSize(9).doesNotContain("x");
        } finally {
            groups.close();
        }
    }

    @Test
    void aGatewayThatThrowsFailsEveryMatchOfItsGroupWithThatFailure() throws Exception {
        IllegalStateException refused = new IllegalStateException("no connection");
        CommandGateway throwing = (CommandGateway) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CommandGateway.class}, (proxy, method, args) -> {
                    throw refused;
                });
        GroupCommit groups = new GroupCommit(throwing, 1, 64, 100, Duration.ofSeconds(30));
        try {
            assertThat(catchThrowable(
                            () -> groups.record(match("m-1"), Map.of()).get(10, TimeUnit.SECONDS)))
                    .hasCause(refused);
        } finally {
            groups.close();
        }
    }

    @Test
    void aMatchIdAlwaysGoesToTheSameLaneSoAHungLaneHoldsOnlyItsOwnMatches() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        // Two lanes; "a" hashes to one, "b" to the other. The group with "a" hangs, as on a silent database.
        assertThat(Math.floorMod("a".hashCode(), 2)).isNotEqualTo(Math.floorMod("b".hashCode(), 2));
        CompletableFuture<List<MatchAnswer>> hung = new CompletableFuture<>();
        GroupCommit groups = new GroupCommit(
                gateway(
                        sentGroups,
                        ids -> ids.contains("a")
                                ? hung
                                : CompletableFuture.completedFuture(ids.stream()
                                        .map(GroupCommitTest::recorded)
                                        .toList())),
                2,
                64,
                100,
                Duration.ofSeconds(30));
        try {
            groups.record(match("a"), Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> !sentGroups.isEmpty());
            assertThat(groups.record(match("b"), Map.of())
                            .get(10, TimeUnit.SECONDS)
                            .matchId())
                    .isEqualTo("b");
            assertThat(sentGroups).containsExactly(List.of("a"), List.of("b"));
        } finally {
            hung.completeExceptionally(new IllegalStateException("socket timeout")); // lets its lane end
            groups.close();
        }
    }

    @Test
    void closingRecordsWhatIsQueuedAndThenTakesNothingNew() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        CompletableFuture<List<MatchAnswer>> firstGroup = new CompletableFuture<>();
        GroupCommit groups =
                new GroupCommit(holdingTheFirstGroup(sentGroups, firstGroup), 1, 64, 100, Duration.ofSeconds(30));
        CompletableFuture<MatchSettlement> first = groups.record(match("first"), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> !sentGroups.isEmpty());
        CompletableFuture<MatchSettlement> queued = groups.record(match("queued"), Map.of());
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                groups.close();
            } catch (InterruptedException interrupted) {
                throw new IllegalStateException(interrupted);
            }
        });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThatThrownBy(() -> groups.record(match("late"), Map.of()))
                        .isInstanceOf(LedgerBusy.class)
                        .hasMessageContaining("shutting down"));
        // Closing waits for the lane, which still holds the first group and has "queued" to record.
        assertThat(closing).isNotDone();
        firstGroup.complete(List.of(recorded("first")));
        closing.get(10, TimeUnit.SECONDS);
        assertThat(queued).as("recorded before close returned").isDone();
        assertThat(first.get(10, TimeUnit.SECONDS).matchId()).isEqualTo("first");
        assertThat(queued.get(10, TimeUnit.SECONDS).matchId()).isEqualTo("queued");
        assertThat(sentGroups).containsExactly(List.of("first"), List.of("queued"));
    }

    @Test
    void everyMatchIsAnsweredAtItsDeadlineEvenWhileItsLaneIsStuckSending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> sent = new CopyOnWriteArrayList<>();
        // A gateway that does not even return its future: the lane itself is held, as by a driver stuck in a socket.
        CommandGateway stuck = (CommandGateway) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {CommandGateway.class}, (proxy, method, args) -> {
                    ((RecordMatchesCommand) args[0])
                            .matches()
                            .forEach(e -> sent.add(e.match().matchId()));
                    release.await();
                    return CompletableFuture.failedFuture(new IllegalStateException("socket closed"));
                });
        GroupCommit groups = new GroupCommit(stuck, 1, 64, 100, Duration.ofMillis(300));
        try {
            CompletableFuture<MatchSettlement> first = groups.record(match("first"), Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty());
            CompletableFuture<MatchSettlement> queued = groups.record(match("queued"), Map.of());
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LedgerTimeout.class);
            assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LedgerBusy.class);
            assertThat(sent).containsExactly("first");
        } finally {
            release.countDown();
            groups.close();
        }
    }

    @Test
    void lanesAndGroupsMustBeAtLeastOneAndTheQueueHoldAGroup() throws Exception {
        CommandGateway unused = gateway(new CopyOnWriteArrayList<>(), ids -> new CompletableFuture<>());
        Duration timeout = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new GroupCommit(unused, 0, 1, 1, timeout))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupCommit(unused, 1, 0, 1, timeout))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupCommit(unused, 1, 2, 1, timeout))
                .isInstanceOf(IllegalArgumentException.class);
        new GroupCommit(unused, 1, 1, 1, timeout).close();
    }

    @Test
    void theGroupsSpanIsAChildOfItsFirstSampledMemberAndLinksTheOthers() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        List<RecordedSpan> recordedSpans = new CopyOnWriteArrayList<>();
        CompletableFuture<List<MatchAnswer>> firstGroup = new CompletableFuture<>();
        GroupCommit groups = new GroupCommit(
                holdingTheFirstGroup(sentGroups, firstGroup),
                1,
                64,
                100,
                Duration.ofSeconds(30),
                new RecordingSpans(recordedSpans),
                size -> {});
        String notSampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
        String sampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        try {
            CompletableFuture<MatchSettlement> first = groups.record(match("first"), Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> !sentGroups.isEmpty());
            List<CompletableFuture<MatchSettlement>> answers = groups.recordAll(List.of(
                    new RecordMatchesCommand.Entry(match("m-1"), Map.of()),
                    new RecordMatchesCommand.Entry(match("m-2"), Map.of("traceparent", notSampled)),
                    new RecordMatchesCommand.Entry(match("m-3"), Map.of("traceparent", sampled + "0")),
                    new RecordMatchesCommand.Entry(match("m-4"), Map.of("traceparent", sampled)),
                    new RecordMatchesCommand.Entry(match("m-5"), Map.of("traceparent", sampled))));
            firstGroup.complete(List.of(recorded("first")));
            first.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<MatchSettlement> answer : answers) {
                answer.get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> recordedSpans.size() == 2 && recordedSpans.get(1).ended);
            RecordedSpan lone = recordedSpans.get(0);
            assertThat(lone.parent).isEqualTo("first");
            assertThat(lone.links).isEmpty();
            RecordedSpan group = recordedSpans.get(1);
            assertThat(group.name).isEqualTo("GroupCommit.commit");
            // m-3's traceparent is malformed (one character too many): m-4 is the first sampled member.
            assertThat(group.parent).isEqualTo("m-4");
            assertThat(group.links).containsExactly("m-1", "m-2", "m-3", "m-5");
            assertThat(group.attributes).containsEntry("ledger.group.size", "5");
            assertThat(group.started).isTrue();
            assertThat(group.ended).isTrue();
        } finally {
            groups.close();
        }
    }

    @Test
    void aGroupWithoutASampledMemberIsAChildOfItsFirst() throws Exception {
        List<List<String>> sentGroups = new CopyOnWriteArrayList<>();
        List<RecordedSpan> recordedSpans = new CopyOnWriteArrayList<>();
        CompletableFuture<List<MatchAnswer>> firstGroup = new CompletableFuture<>();
        GroupCommit groups = new GroupCommit(
                holdingTheFirstGroup(sentGroups, firstGroup),
                1,
                64,
                100,
                Duration.ofSeconds(30),
                new RecordingSpans(recordedSpans),
                size -> {});
        try {
            groups.record(match("first"), Map.of());
            await().atMost(Duration.ofSeconds(10)).until(() -> !sentGroups.isEmpty());
            List<CompletableFuture<MatchSettlement>> answers = groups.recordAll(List.of(
                    new RecordMatchesCommand.Entry(match("m-1"), Map.of("traceparent", "not a trace parent")),
                    new RecordMatchesCommand.Entry(
                            match("m-2"),
                            Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-02"))));
            firstGroup.complete(List.of(recorded("first")));
            for (CompletableFuture<MatchSettlement> answer : answers) {
                answer.get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> recordedSpans.size() == 2 && recordedSpans.get(1).ended);
            assertThat(recordedSpans.get(1).parent).isEqualTo("m-1");
            assertThat(recordedSpans.get(1).links).containsExactly("m-2");
        } finally {
            groups.close();
        }
    }

    /** A span as the lane made it: its name, the match of its parent and of its links, and what was done with it. */
    static final class RecordedSpan implements Span {
        final String name;
        final String parent;
        final List<String> links;
        final Map<String, String> attributes = new java.util.concurrent.ConcurrentHashMap<>();
        volatile boolean started;
        volatile boolean ended;

        RecordedSpan(String name, String parent, List<String> links) {
            this.name = name;
            this.parent = parent;
            this.links = links;
        }

        @Override
        public Span start() {
            started = true;
            return this;
        }

        @Override
        public void end() {
            ended = true;
        }

        @Override
        public Span recordException(Throwable t) {
            return this;
        }

        @Override
        public Span addAttribute(String key, String value) {
            attributes.put(key, value);
            return this;
        }
    }

    /** Axon's span factory as far as the lanes use it: records the spans a group is committed in. */
    record RecordingSpans(List<RecordedSpan> recorded) implements SpanFactory {
        @Override
        public Span createHandlerSpan(
                Supplier<String> name, Message<?> parent, boolean isChildTrace, Message<?>... links) {
            RecordedSpan span = new RecordedSpan(
                    name.get(),
                    matchIdOf(parent),
                    Arrays.stream(links).map(RecordingSpans::matchIdOf).toList());
            recorded.add(span);
            return span;
        }

        private static String matchIdOf(Message<?> message) {
            return ((RecordMatchCommand) message.getPayload()).matchId();
        }

        @Override
        public <M extends Message<?>> M propagateContext(M message) {
            return message;
        }

        @Override
        public Span createRootTrace(Supplier<String> name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Span createDispatchSpan(Supplier<String> name, Message<?> parent, Message<?>... links) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Span createInternalSpan(Supplier<String> name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Span createInternalSpan(Supplier<String> name, Message<?> parent) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void registerSpanAttributeProvider(SpanAttributesProvider provider) {
            throw new UnsupportedOperationException();
        }
    }

    /** A gateway that notes each group it is sent (its match ids) and answers as {@code answer} says. */
    private static CommandGateway gateway(
            List<List<String>> sentGroups, Function<List<String>, CompletableFuture<List<MatchAnswer>>> answer) {
        return (CommandGateway) Proxy.newProxyInstance(
                GroupCommitTest.class.getClassLoader(),
                new Class<?>[] {CommandGateway.class},
                (proxy, method, args) -> {
                    List<String> ids = ((RecordMatchesCommand) args[0])
                            .matches().stream().map(e -> e.match().matchId()).toList();
                    sentGroups.add(ids);
                    return answer.apply(ids);
                });
    }

    private static List<RecordMatchesCommand.Entry> entries(String... matchIds) {
        return Arrays.stream(matchIds)
                .map(id -> new RecordMatchesCommand.Entry(match(id), Map.of()))
                .toList();
    }

    /**
     * A gateway that answers the group of match "first" when the test completes {@code firstGroup}, so that the
     * matches sent meanwhile wait in the lane and form the next group, and records every other match at once.
     */
    private static CommandGateway holdingTheFirstGroup(
            List<List<String>> sentGroups, CompletableFuture<List<MatchAnswer>> firstGroup) {
        return gateway(
                sentGroups,
                ids -> ids.equals(List.of("first"))
                        ? firstGroup
                        : CompletableFuture.completedFuture(
                                ids.stream().map(GroupCommitTest::recorded).toList()));
    }

    private static MatchAnswer recorded(String matchId) {
        return MatchAnswer.recorded(new MatchSettlement(matchId, Outcome.WIN, List.of(), null, null, false));
    }

    private static RecordMatchCommand match(String id) {
        return new RecordMatchCommand(id, "a", "b", Outcome.WIN, null);
    }
}
