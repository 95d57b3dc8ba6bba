package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.core.api.LedgerRefusal;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JitteredRetrySchedulerTest {

    /** Records the waits it is asked for; runs nothing. */
    static final class RecordingExecutor extends ScheduledThreadPoolExecutor {
        final List<Long> waits = new ArrayList<>();

        RecordingExecutor() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            waits.add(unit.toMillis(delay));
            return super.schedule(() -> {}, 0, TimeUnit.MILLISECONDS);
        }
    }

    private final RecordingExecutor executor = new RecordingExecutor();
    private final CommandMessage<Object> command = GenericCommandMessage.asCommandMessage("a command");

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void lostRacesWaitAFullJitterOfADoublingCeilingUpToTheCap() {
        JitteredRetryScheduler longest = scheduler(bound -> bound - 1);
        assertThat(IntStream.rangeClosed(1, 8).mapToObj(longest::conflictDelay).toList())
                .containsExactly(10L, 20L, 40L, 80L, 160L, 250L, 250L, 250L);
        assertThat(longest.conflictDelay(1_000)).isEqualTo(250L);
        JitteredRetryScheduler shortest = scheduler(bound -> 0);
        assertThat(shortest.conflictDelay(5)).isZero();

        JitteredRetryScheduler random = JitteredRetryScheduler.builder()
                .retryExecutor(executor)
                .conflicts(32, 10, 250)
                .build();
        for (int n = 1; n <= 40; n++) {
            assertThat(random.conflictDelay(n)).isBetween(0L, Math.min(250L, 10L << Math.min(n - 1, 30)));
        }
    }

    @Test
    void aLostRaceIsRetriedUntilItsBudgetIsSpent() {
        JitteredRetryScheduler scheduler = scheduler(bound -> bound - 1);
        List<Class<? extends Throwable>[]> history = new ArrayList<>();
        RuntimeException conflict = new ConcurrencyException("another writer was first");
        for (int attempt = 1; attempt <= 3; attempt++) {
            history.add(chain(conflict));
            assertThat(scheduler.scheduleRetry(command, conflict, history, () -> {}))
                    .isTrue();
        }
        history.add(chain(conflict));
        assertThat(scheduler.scheduleRetry(command, conflict, history, () -> {}))
                .isFalse();
        assertThat(executor.waits).containsExactly(10L, 20L, 40L);
        assertThat(scheduler.conflictRetries()).isEqualTo(3);
        assertThat(scheduler.exhausted()).isEqualTo(1);
    }

    @Test
    void aGroupThatLostARaceIsLeftToGroupCommitToSplitButASingleMatchIsRetried() {
        JitteredRetryScheduler scheduler = scheduler(bound -> 0);
        RuntimeException conflict = new ConcurrencyException("another writer was first");
        List<Class<? extends Throwable>[]> history = new ArrayList<>();
        history.add(chain(conflict));
        RecordMatchCommand one = new RecordMatchCommand("m-1", "a", "b", Outcome.WIN, null);
        RecordMatchCommand two = new RecordMatchCommand("m-2", "a", "c", Outcome.WIN, null);
        CommandMessage<Object> group = GenericCommandMessage.asCommandMessage(new RecordMatchesCommand(
                List.of(new RecordMatchesCommand.Entry(one, Map.of()), new RecordMatchesCommand.Entry(two, Map.of()))));
        CommandMessage<Object> alone = GenericCommandMessage.asCommandMessage(
                new RecordMatchesCommand(List.of(new RecordMatchesCommand.Entry(one, Map.of()))));
        assertThat(scheduler.scheduleRetry(group, conflict, history, () -> {})).isFalse();
        assertThat(scheduler.scheduleRetry(alone, conflict, history, () -> {})).isTrue();
        RuntimeException away = new IllegalStateException("connection refused");
        List<Class<? extends Throwable>[]> outage = new ArrayList<>();
        outage.add(chain(away));
        assertThat(scheduler.scheduleRetry(group, away, outage, () -> {})).isTrue();
    }

    @Test
    void aWrappedConflictIsAConflict() {
        RuntimeException wrapped = new CommandExecutionException("failed", new ConcurrencyException("second"));
        assertThat(JitteredRetryScheduler.isConflict(wrapped)).isTrue();
        assertThat(JitteredRetryScheduler.isConflict(new IllegalStateException("database away")))
                .isFalse();
    }

    @Test
    void otherFailuresGetAShortBudgetOfTheirOwn() {
        JitteredRetryScheduler scheduler = scheduler(bound -> bound - 1);
        RuntimeException away = new IllegalStateException("Connection is not available, request timed out");
        List<Class<? extends Throwable>[]> history = new ArrayList<>();
        history.add(chain(away));
        assertThat(scheduler.scheduleRetry(command, away, history, () -> {})).isTrue();
        history.add(chain(away));
        assertThat(scheduler.scheduleRetry(command, away, history, () -> {})).isFalse();

        // Two failures of another kind do not spend the conflict budget.
        RuntimeException conflict = new ConcurrencyException("another writer was first");
        history.add(chain(conflict));
        assertThat(scheduler.scheduleRetry(command, conflict, history, () -> {}))
                .isTrue();
        assertThat(executor.waits).containsExactly(200L, 10L);
        assertThat(scheduler.otherRetries()).isEqualTo(1);
        assertThat(scheduler.conflictRetries()).isEqualTo(1);
    }

    @Test
    void lostRacesDoNotSpendTheBudgetOfOtherFailures() {
        JitteredRetryScheduler scheduler = scheduler(bound -> bound - 1);
        RuntimeException conflict = new ConcurrencyException("another writer was first");
        RuntimeException away = new IllegalStateException("Connection is not available, request timed out");
        List<Class<? extends Throwable>[]> history = new ArrayList<>();
        history.add(chain(conflict));
        history.add(chain(conflict));
        history.add(chain(away));
        // Two lost races and a first other failure: the other failure still has its one retry.
        assertThat(scheduler.scheduleRetry(command, away, history, () -> {})).isTrue();
        assertThat(scheduler.otherRetries()).isEqualTo(1);
    }

    @Test
    void aWaitForTheDatabaseThatRanOutIsNotRetriedButABrokenConnectionIs() {
        JitteredRetryScheduler scheduler = scheduler(bound -> 0);
        List<RuntimeException> waitedInVain = List.of(
                // pgjdbc's socket timeout: an I/O error (08006) over the socket's own timeout
                new IllegalStateException(
                        new SQLException("An I/O error occurred", "08006", new SocketTimeoutException())),
                new IllegalStateException(new SQLException("canceling statement due to statement timeout", "57014")),
                new IllegalStateException(new SQLException("canceling statement due to lock timeout", "55P03")),
                new IllegalStateException(new SQLTransientConnectionException("Connection is not available")));
        for (RuntimeException failure : waitedInVain) {
            List<Class<? extends Throwable>[]> history = new ArrayList<>();
            history.add(chain(failure));
            assertThat(scheduler.scheduleRetry(command, failure, history, () -> {}))
                    .as("%s", failure.getCause())
                    .isFalse();
        }
        RuntimeException broken = new IllegalStateException(new SQLException("Connection reset", "08006"));
        List<Class<? extends Throwable>[]> history = new ArrayList<>();
        history.add(chain(broken));
        assertThat(scheduler.scheduleRetry(command, broken, history, () -> {})).isTrue();
        assertThat(executor.waits).hasSize(1);
    }

    @Test
    void refusalsAreNeverRetried() {
        JitteredRetryScheduler scheduler = scheduler(bound -> 0);
        RuntimeException refusal = LedgerRefusal.ruleBroken("would go below zero");
        List<Class<? extends Throwable>[]> history = new ArrayList<>();
        history.add(chain(refusal));
        assertThat(scheduler.scheduleRetry(command, refusal, history, () -> {})).isFalse();
        RuntimeException wrapped = new CommandExecutionException("failed", refusal);
        assertThat(scheduler.scheduleRetry(command, wrapped, history, () -> {})).isFalse();
        assertThat(executor.waits).isEmpty();
    }

    @Test
    void aSchedulerThatIsShutDownGivesUp() {
        JitteredRetryScheduler scheduler = scheduler(bound -> 0);
        executor.shutdownNow();
        RuntimeException conflict = new ConcurrencyException("another writer was first");
        List<Class<? extends Throwable>[]> history = new ArrayList<>();
        history.add(chain(conflict));
        // The recording executor records, then the pool refuses the task it was handed.
        assertThat(scheduler.scheduleRetry(command, conflict, history, () -> {}))
                .isFalse();
    }

    private JitteredRetryScheduler scheduler(java.util.function.LongUnaryOperator random) {
        return JitteredRetryScheduler.builder()
                .retryExecutor(executor)
                .conflicts(3, 10, 250)
                .others(1, 200)
                .random(random)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable>[] chain(Throwable failure) {
        List<Class<? extends Throwable>> classes = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            classes.add(cause.getClass());
        }
        return classes.toArray(new Class[0]);
    }

    @Test
    void theBuilderTakesTheSmallestSettingsAndRefusesLess() {
        assertThat(JitteredRetryScheduler.builder()
                        .retryExecutor(executor)
                        .conflicts(0, 1, 1)
                        .others(0, 0)
                        .build())
                .isNotNull();
        assertThatThrownBy(() -> JitteredRetryScheduler.builder().conflicts(-1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JitteredRetryScheduler.builder().conflicts(0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JitteredRetryScheduler.builder().conflicts(0, 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JitteredRetryScheduler.builder().others(-1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JitteredRetryScheduler.builder().others(0, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
