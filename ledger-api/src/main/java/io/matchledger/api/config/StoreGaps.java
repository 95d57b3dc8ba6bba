package io.matchledger.api.config;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.axonframework.eventhandling.GapAwareTrackingToken;

/**
 * Which missing global indexes of the event store are decided, shared by every reader of the store in this process
 * (the processors, the audit's reads). A missing index below a visible one is a write in flight or one that rolled
 * back. Axon's JPA engine gives such a gap up by the clock and by distance (a minute, 10,000 indexes; a timestamp
 * older than the timeout; more than 250 gaps), so a write that commits later than that is never read (AxonFramework
 * #4829). Here a gap is given up only on evidence ({@link InFlightAppends}), however late, as ADR 0014 decides:
 * <ol>
 *   <li>a reader sees the gap (after its query) and reports it ({@link #observe});
 *   <li>once the gap is older than {@code settle} (most fill within milliseconds by themselves), a fence is taken:
 *       the appends in flight at that moment, which include whichever took the index, if it can still commit;
 *   <li>once the fence has passed, the next read that still lacks the index, started after the fence passed, proves
 *       it is never filled: the gap is final, for every reader ({@link Decided#prune}).
 * </ol>
 * Evidence is gathered in rounds, at most one per {@code roundEvery}, by whichever reader asks first, so a busy store
 * pays for one lock-table query per round, not one per gap or reader.
 */
public final class StoreGaps {

    /** Final indexes kept at most; an older one asked about again is simply decided again. */
    private static final int FINAL_KEPT = 200_000;
    /** How long a gap stays known after its fence passed, for a reader that has not come back to it. */
    private static final long FORGET_PASSED_NANOS = Duration.ofMinutes(1).toNanos();

    private static final class Observation {
        final long seenAt;
        volatile InFlightAppends.Fence fence;
        volatile long passedAt = -1;

        Observation(long seenAt) {
            this.seenAt = seenAt;
        }

        boolean passed() {
            return passedAt >= 0;
        }
    }

    private final InFlightAppends appends;
    private final long settleNanos;
    private final long roundNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentSkipListMap<Long, Observation> undecided = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListSet<Long> finalIndexes = new ConcurrentSkipListSet<>();
    private final ReentrantLock round = new ReentrantLock();
    private volatile long lastRound;

    public StoreGaps(InFlightAppends appends, Duration settle, Duration roundEvery) {
        this(appends, settle, roundEvery, System::nanoTime);
    }

    StoreGaps(InFlightAppends appends, Duration settle, Duration roundEvery, LongSupplier nanoTime) {
        this.appends = appends;
        this.settleNanos = settle.toNanos();
        this.roundNanos = roundEvery.toNanos();
        this.nanoTime = nanoTime;
        this.lastRound = nanoTime.getAsLong() - roundNanos;
    }

    /**
     * What a read about to start may treat as decided: the gaps whose fences have passed by now. Taken before the
     * read's query, so that a write whose append was fenced and has committed is visible to that query.
     */
    public Decided beforeRead() {
        evidenceRound();
        Set<Long> passed = new HashSet<>();
        undecided.forEach((index, observation) -> {
            if (observation.passed()) {
                passed.add(index);
            }
        });
        return new Decided(passed);
    }

    /** Reports the gaps a read has left in a token; those not known yet are watched from now on. */
    public void observe(Collection<Long> gaps) {
        if (gaps.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (Long gap : gaps) {
            if (!finalIndexes.contains(gap)) {
                undecided.computeIfAbsent(gap, index -> new Observation(now));
            }
        }
    }

    /** Reports that a read found an event at an index it had as a gap: it was a late commit, not a hole. */
    public void filled(long index) {
        undecided.remove(index);
    }

    /** Gaps still open, whose writes may commit: in flight, or not yet fenced. */
    public int openGaps() {
        int count = 0;
        for (Observation observation : undecided.values()) {
            count += observation.passed() ? 0 : 1;
        }
        return count;
    }

    /** Seconds since the oldest open gap was first seen; 0 when there is none. */
    public double oldestOpenGapSeconds() {
        long now = nanoTime.getAsLong();
        long oldest = now;
        for (Observation observation : undecided.values()) {
            if (!observation.passed()) {
                oldest = Math.min(oldest, observation.seenAt);
            }
        }
        return (now - oldest) / 1e9;
    }

    /** Whether the index is known to be a hole for good. */
    public boolean isFinal(long index) {
        return finalIndexes.contains(index);
    }

    /**
     * One round of evidence, when one is due: fences that passed are marked, and gaps old enough get a fence taken now
     * (after they were seen). Whoever calls while another round runs goes on without waiting.
     */
    private void evidenceRound() {
        long now = nanoTime.getAsLong();
        if (undecided.isEmpty() || now - lastRound < roundNanos || !round.tryLock()) {
            return;
        }
        try {
            lastRound = now;
            Map<InFlightAppends.Fence, Boolean> checked = new java.util.IdentityHashMap<>();
            InFlightAppends.Fence fresh = null;
            for (Map.Entry<Long, Observation> entry : undecided.entrySet()) {
                Observation observation = entry.getValue();
                if (observation.passed()) {
                    if (now - observation.passedAt > FORGET_PASSED_NANOS) {
                        undecided.remove(entry.getKey(), observation);
                    }
                    continue;
                }
                InFlightAppends.Fence fence = observation.fence;
                if (fence != null) {
                    if (checked.computeIfAbsent(fence, appends::passed)) {
                        observation.passedAt = nanoTime.getAsLong();
                    }
                } else if (now - observation.seenAt >= settleNanos) {
                    if (fresh == null) {
                        fresh = appends.fence();
                    }
                    observation.fence = fresh;
                }
            }
        } finally {
            round.unlock();
        }
    }

    private void markFinal(long index) {
        finalIndexes.add(index);
        undecided.remove(index);
        if (finalIndexes.size() > FINAL_KEPT) {
            for (int i = 0; i < FINAL_KEPT / 2 && !finalIndexes.isEmpty(); i++) {
                finalIndexes.pollFirst();
            }
        }
    }

    /** The decisions a read may apply to the tokens it builds. */
    public final class Decided {

        private final Set<Long> passed;

        private Decided(Set<Long> passed) {
            this.passed = passed;
        }

        /**
         * The token without its gaps that are holes for good: known final, or fenced before the read started and not
         * among what the read returned. {@code returned} holds the indexes the read found; {@code readThrough} is
         * the highest index it can vouch for (a read cut off by its batch size says nothing of indexes above its
         * last row).
         */
        public GapAwareTrackingToken prune(GapAwareTrackingToken token, Set<Long> returned, long readThrough) {
            if (token == null || token.getGaps().isEmpty()) {
                return token;
            }
            SortedSet<Long> kept = null;
            for (Long gap : token.getGaps()) {
                boolean hole = !returned.contains(gap)
                        && gap <= readThrough
                        && (finalIndexes.contains(gap) || passed.contains(gap));
                if (hole) {
                    markFinal(gap);
                    if (kept == null) {
                        kept = new TreeSet<>(token.getGaps().headSet(gap));
                    }
                } else if (kept != null) {
                    kept.add(gap);
                }
            }
            return kept == null ? token : GapAwareTrackingToken.newInstance(token.getIndex(), kept);
        }
    }
}
