package io.matchledger.api.audit;

import io.matchledger.api.audit.AuditReport.Mismatch;
import io.matchledger.api.audit.AuditReport.TotalAfterBreak;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** One player's ledger as {@link LedgerVerification}'s scan has seen it so far, and what the scan found. */
final class ScannedLedger {

    record Standing(long points, long lastSequence) {}

    /** An event of a ledger; {@code points} is null for one that does not move the total (a registration). */
    record Entry(long sequence, long token, Long points, Long totalAfter) {}

    static final class Findings {
        final List<Mismatch> mismatches = new ArrayList<>();
        final List<TotalAfterBreak> breaks = new ArrayList<>();
        long breakCount;

        void broken(TotalAfterBreak totalAfterBreak) {
            breakCount++;
            if (breaks.size() < LedgerVerification.LISTED) {
                breaks.add(totalAfterBreak);
            }
        }
    }

    final String playerId;
    /** The last sequence number the read model applied; -1 when it does not show the player. */
    final long appliedThrough;
    /** The points the read model must have applied. */
    long fromEvents;
    /** Whether the processor had committed one of the ledger's events. */
    boolean committed;

    long runningTotal;
    long nextSequence;
    /** Events that arrived ahead of their sequence; empty unless several processes write. */
    TreeMap<Long, Entry> early;

    ScannedLedger(String playerId, Standing standing) {
        this.playerId = playerId;
        this.appliedThrough = standing == null ? -1 : standing.lastSequence();
    }

    void add(Entry entry, boolean committedByProcessor, Findings findings) {
        committed |= committedByProcessor;
        if (entry.points() != null && (committedByProcessor || entry.sequence() <= appliedThrough)) {
            fromEvents += entry.points();
        }
        if (entry.sequence() != nextSequence) {
            if (early == null) {
                early = new TreeMap<>();
            }
            early.put(entry.sequence(), entry);
            return;
        }
        for (Entry next = entry; next != null; next = early == null ? null : early.remove(nextSequence)) {
            inSequence(next, findings);
        }
    }

    private void inSequence(Entry entry, Findings findings) {
        if (entry.points() != null) {
            runningTotal += entry.points();
            if (entry.totalAfter() != null && entry.totalAfter() != runningTotal) {
                findings.broken(new TotalAfterBreak(
                        playerId, entry.sequence(), entry.token(), entry.totalAfter(), runningTotal));
            }
        }
        nextSequence++;
    }
}
