package io.matchledger.core;

import io.matchledger.core.api.LedgerBusy;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;

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
 */
public final class GroupCommit implements AutoCloseable {

    private final CommandGateway commands;
    private final int maxGroup;
    private final int capacity;
    private final Duration timeout;
    /** One queue per lane; a match id always goes to the same lane, so its attempts are decided in arrival order. */
    private final List<BlockingQueue<Pending>> queues = new ArrayList<>();

    private final AtomicInteger queued = new AtomicInteger();
    private final List<Thread> lanes = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param laneCount groups in flight at once; more than one lets a group be decided while the previous commits
     * @param maxGroup matches in one group at most
     * @param capacity matches queued at most; past it a request is refused whole ({@link LedgerBusy})
     * @param timeout  how long a lane waits for its group; past it the group's matches are answered {@link LedgerBusy}
     */
    public GroupCommit(CommandGateway commands, int laneCount, int maxGroup, int capacity, Duration timeout) {
        if (laneCount < 1 || maxGroup < 1 || capacity < maxGroup) {
            throw new IllegalArgumentException("laneCount and maxGroup must be positive, capacity at least maxGroup");
        }
        this.commands = commands;
        this.maxGroup = maxGroup;
        this.capacity = capacity;
        this.timeout = timeout;
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
        for (RecordMatchesCommand.Entry match : matches) {
            Pending pending = new Pending(match, new CompletableFuture<>());
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
                commit(group);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending> group) {
        try {
            List<MatchAnswer> answers = commands.<List<MatchAnswer>>send(new RecordMatchesCommand(
                            group.stream().map(Pending::match).toList()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
                int half = group.size() / 2;
                commit(group.subList(0, half));
                commit(group.subList(half, group.size()));
                return;
            }
            group.forEach(pending -> pending.answer().completeExceptionally(failure));
        } catch (TimeoutException late) {
            // Seen during a database outage: a unit of work whose rollback failed never answered. The lane must go on;
            // the matches may still be recorded, so each is answered as "send it again", which its id makes safe.
            LedgerBusy busy = new LedgerBusy("the group of this match did not finish within " + timeout.toSeconds()
                    + " s; it may yet be recorded: send it again");
            group.forEach(pending -> pending.answer().completeExceptionally(busy));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            LedgerBusy busy = new LedgerBusy("the ledger is shutting down");
            group.forEach(pending -> pending.answer().completeExceptionally(busy));
        } catch (RuntimeException | Error failure) {
            group.forEach(pending -> pending.answer().completeExceptionally(failure));
        }
    }

    /** Takes no new matches, and records those queued already before the lanes end. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread lane : lanes) {
            lane.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private record Pending(RecordMatchesCommand.Entry match, CompletableFuture<MatchSettlement> answer) {}
}
