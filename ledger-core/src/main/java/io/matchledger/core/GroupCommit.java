package io.matchledger.core;

import io.matchledger.core.api.LedgerBusy;
import io.matchledger.core.api.LedgerTimeout;
import io.matchledger.core.api.MatchAnswer;
import io.matchledger.core.api.MatchSettlement;
import io.matchledger.core.api.RecordMatchCommand;
import io.matchledger.core.api.RecordMatchesCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.SpanScope;

/**
 * Matches that arrive together are recorded together: one {@link RecordMatchesCommand}, so one unit of work and one
 * database transaction, for every match queued when a lane becomes free, up to {@code maxGroup}. Each caller still
 * gets its own match's answer, and only once the group has committed. There is no waiting for a group to fill: a lane
 * takes the first match as soon as it is free and whatever else is queued by then, so a lone client is not slowed
 * down and a busy ledger commits in groups as large as its load (as a log writer skips the flush while more writes
 * are queued). Matches are spread over the lanes by match id: two attempts at the same match are decided in the
 * order they arrived, as the first gets 201 and the identical second 200.
 * <p>
 * A group that lost a race (the store refused it because another process wrote one of its ledgers first) recorded
 * nothing. It is split in two halves, run again one after the other, so that one match id's attempts are still
 * decided in arrival order; a half that meets the other writer again is split again, down to a single match, which
 * the gateway retries as it retries any match ({@link JitteredRetryScheduler}). So a hot player costs the matches
 * grouped with it one re-run, not every retry of its own. A group that fails otherwise (the database is away) fails
 * every match in it with that failure: none of them was recorded, and each may be sent again as it was.
 * <p>
 * <b>Every match is answered within {@code timeout} of being queued</b>, whatever the database does: a match still
 * queued then is taken out and answered {@link LedgerBusy} (nothing recorded), one whose group is still being decided
 * {@link LedgerTimeout} (it may yet be recorded; sending it again is safe). A silent database holds a group until the
 * driver gives up on it; the matches queued behind it would otherwise wait for that group and then for their own.
 * <p>
 * Traces: a match is queued with the trace context of the request that sent it (in its metadata, as Axon propagates
 * a context to another thread), and the lane commits the group in a span of its own: a child of the first member
 * whose trace is sampled, linked to every other member, so each sampled request's trace reaches the group that
 * recorded it (ADR 0021).
 */
public final class GroupCommit implements AutoCloseable {

    private final CommandGateway commands;
    private final int maxGroup;
    private final int capacity;
    private final Duration timeout;
    /** One queue per lane; a match id always goes to the same lane, so its attempts are decided in arrival order. */
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();

    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong splits = new AtomicLong();
    private final SpanFactory spans;
    private final IntConsumer groupSizes;
    private final List<Thread> lanes = new ArrayList<>();
    /** Answers each match that is still unanswered at its deadline; removes the timer of one answered before. */
    private final ScheduledThreadPoolExecutor deadlines;

    private volatile boolean closed;

    /**
     * @param laneCount groups in flight at once; more than one lets a group be decided while the previous commits
     * @param maxGroup matches in one group at most
     * @param capacity matches queued at most; past it a request is refused whole ({@link LedgerBusy})
     * @param timeout  how long a match waits for its answer from the moment it is queued; past it the match is
     *                 answered {@link LedgerBusy} if it was still queued, {@link LedgerTimeout} if its group was being
     *                 decided. A lane waits twice as long for its group, then goes on.
     */
    public GroupCommit(CommandGateway commands, int laneCount, int maxGroup, int capacity, Duration timeout) {
        this(commands, laneCount, maxGroup, capacity, timeout, NoOpSpanFactory.INSTANCE, size -> {});
    }

    /**
     * As above, with {@code spans} for the traces of the groups and {@code groupSizes} told the size of every group a
     * lane commits (a metric: how much of its load the ledger commits together).
     */
    public GroupCommit(
            CommandGateway commands,
            int laneCount,
            int maxGroup,
            int capacity,
            Duration timeout,
            SpanFactory spans,
            IntConsumer groupSizes) {
        this.spans = spans;
        this.groupSizes = groupSizes;
        if (laneCount < 1 || maxGroup < 1 || capacity < maxGroup) {
            throw new IllegalArgumentException("laneCount and maxGroup must be positive, capacity at least maxGroup");
        }
        this.commands = commands;
        this.maxGroup = maxGroup;
        this.capacity = capacity;
        this.timeout = timeout;
        this.deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ledger-group-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        deadlines.setRemoveOnCancelPolicy(true);
        for (int lane = 1; lane <= laneCount; lane++) {
            BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
            queues.add(queue);
            Thread thread = new Thread(() -> run(queue), "ledger-group-" + lane);
            thread.setDaemon(true);
            lanes.add(thread);
            thread.start();
        }
    }

    /** Records one match; {@code metaData} is what its events are stamped with (who sent it, which request). */
    public CompletableFuture<MatchSettlement> record(RecordMatchCommand match, Map<String, ?> metaData) {
        return recordAll(List.of(new RecordMatchesCommand.Entry(match, metaData)))
                .get(0);
    }

    /**
     * Queues the matches together, so that they share groups as far as {@code maxGroup} allows. Each future completes
     * with its match's settlement, or with its refusal ({@code LedgerRefusal}), or with the failure of its group.
     */
    public List<CompletableFuture<MatchSettlement>> recordAll(List<RecordMatchesCommand.Entry> matches) {
        if (closed) {
            throw new LedgerBusy("the ledger is shutting down");
        }
        if (queued.addAndGet(matches.size()) > capacity) {
            queued.addAndGet(-matches.size());
            throw new LedgerBusy(capacity + " matches are queued already");
        }
        List<CompletableFuture<MatchSettlement>> answers = new ArrayList<>(matches.size());
        for (RecordMatchesCommand.Entry entry : matches) {
            // On the caller's thread, where its trace is current: the lane commits it on another.
            RecordMatchesCommand.Entry match = new RecordMatchesCommand.Entry(
                    entry.match(),
                    spans.propagateContext(new GenericMessage<>(entry.match(), entry.metaData()))
                            .getMetaData());
            Pending pending = new Pending(
                    match,
                    new CompletableFuture<>(),
                    new AtomicReference<>(Stage.QUEUED),
                    System.nanoTime() + timeout.toNanos());
            ScheduledFuture<?> deadline =
                    deadlines.schedule(() -> overdue(pending), timeout.toMillis(), TimeUnit.MILLISECONDS);
            pending.answer().whenComplete((settled, failed) -> deadline.cancel(false));
            answers.add(pending.answer());
            String matchId = match.match().matchId();
            queues.get(matchId == null ? 0 : Math.floorMod(matchId.hashCode(), queues.size()))
                    .add(pending);
        }
        return answers;
    }

    private void run(BlockingQueue<Pending> queue) {
        List<Pending> group = new ArrayList<>(maxGroup);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                queued.addAndGet(-group.size());
                // A match past its deadline is not sent: it is (or is now) answered as not recorded.
                long now = System.nanoTime();
                group.removeIf(pending -> {
                    if (now - pending.deadline() >= 0) {
                        overdue(pending);
                    }
                    return !pending.stage().compareAndSet(Stage.QUEUED, Stage.SENT);
                });
                if (!group.isEmpty()) {
                    groupSizes.accept(group.size());
                    traced(group);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Groups split in two after they lost a race for a ledger: what contention costs the group commit. */
    public long splits() {
        return splits.get();
    }

    private void traced(List<Pending> group) {
        List<Message<?>> members = group.stream()
                .<Message<?>>map(pending -> new GenericMessage<>(
                        pending.match().match(), pending.match().metaData()))
                .toList();
        int parent = firstSampled(members);
        List<Message<?>> linked = new ArrayList<>(members);
        linked.remove(parent);
        Span span = spans.createHandlerSpan(
                        () -> "GroupCommit.commit", members.get(parent), true, linked.toArray(Message<?>[]::new))
                .addAttribute("ledger.group.size", Integer.toString(group.size()));
        span.start();
        try (SpanScope ignored = span.makeCurrent()) {
            commit(group);
        } finally {
            span.end();
        }
    }

    /**
     * The first member whose request is sampled (W3C {@code traceparent}, flags bit 0), so that the group's span is
     * kept whenever one of its requests is; the first member when none is.
     */
    private static int firstSampled(List<Message<?>> members) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).getMetaData().get("traceparent") instanceof String parent
                    && parent.length() == 55
                    && (Character.digit(parent.charAt(54), 16) & 1) == 1) {
                return i;
            }
        }
        return 0;
    }

    private void commit(List<Pending> group) {
        try {
            List<MatchAnswer> answers = commands.<List<MatchAnswer>>send(new RecordMatchesCommand(
                            group.stream().map(Pending::match).toList()))
                    // Its matches are answered at their own deadlines; the lane waits twice as long for the group
                    // (which a silent database holds until the driver gives up), then goes on whatever happened.
                    .get(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < group.size(); i++) {
                CompletableFuture<MatchSettlement> answer = group.get(i).answer();
                try {
                    answer.complete(answers.get(i).orThrow());
                } catch (RuntimeException refusal) {
                    answer.completeExceptionally(refusal);
                }
            }
        } catch (ExecutionException failed) {
            Throwable failure = failed.getCause() != null ? failed.getCause() : failed;
            if (group.size() > 1 && JitteredRetryScheduler.isConflict(failure)) {
                splits.incrementAndGet();
                int half = group.size() / 2;
                commit(group.subList(0, half));
                commit(group.subList(half, group.size()));
                return;
            }
            group.forEach(pending -> pending.answer().completeExceptionally(failure));
        } catch (TimeoutException late) {
            // Seen during a database outage: a unit of work whose rollback failed never answered. The lane must go on;
            // its matches were answered at their deadlines already (LedgerTimeout: they may yet be recorded).
            group.forEach(this::overdue);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            LedgerBusy busy = new LedgerBusy("the ledger is shutting down");
            group.forEach(pending -> pending.answer().completeExceptionally(busy));
        } catch (RuntimeException | Error failure) {
            group.forEach(pending -> pending.answer().completeExceptionally(failure));
        }
    }

    /** A match's deadline: answered as what it is then, unless its group answered it first. */
    private void overdue(Pending pending) {
        if (pending.stage().compareAndSet(Stage.QUEUED, Stage.EXPIRED)) {
            pending.answer()
                    .completeExceptionally(new LedgerBusy("this match waited " + timeout.toMillis()
                            + " ms in the queue without being decided; it was not recorded"));
        } else {
            pending.answer()
                    .completeExceptionally(new LedgerTimeout("this match's group was not decided within "
                            + timeout.toMillis() + " ms; it may yet be recorded: send it again"));
        }
    }

    /** Takes no new matches, and records those queued already before the lanes end. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread lane : lanes) {
            lane.join(TimeUnit.SECONDS.toMillis(30));
        }
        deadlines.shutdownNow();
    }

    /** Where a match is: queued, sent in a group (its group answers it), or answered at its deadline while queued. */
    private enum Stage {
        QUEUED,
        SENT,
        EXPIRED
    }

    private record Pending(
            RecordMatchesCommand.Entry match,
            CompletableFuture<MatchSettlement> answer,
            AtomicReference<Stage> stage,
            long deadline) {}
}
