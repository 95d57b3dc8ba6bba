package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.matchledger.core.api.LedgerBusy;
import io.matchledger.core.api.LedgerTimeout;
import io.matchledger.core.api.MatchAnswer;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

/** The lanes themselves, on a gateway whose first group never answers (as seen during a database outage). */
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
        } finally {
            groups.close();
        }
    }

    private static MatchAnswer recorded(String matchId) {
        return MatchAnswer.recorded(new MatchSettlement(matchId, Outcome.WIN, List.of(), null, null, false));
    }

    private static RecordMatchCommand match(String id) {
        return new RecordMatchCommand(id, "a", "b", Outcome.WIN, null);
    }
}
