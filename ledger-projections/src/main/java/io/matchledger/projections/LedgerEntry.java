package io.matchledger.projections;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchVoided;
import io.matchledger.core.api.PointsAdjusted;
import io.matchledger.projections.api.PlayerMatch;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.FractionalSeconds;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One entry of a player's ledger, keyed by the player's stream sequence: a match, the void of a match, or an
 * adjustment, each with the total right after it. {@code matchNumber} counts the player's matches from 1 and is what
 * a page of history seeks on, so page 2,000 costs what page 0 costs. Instants keep nanoseconds, as recorded.
 */
@Entity
@IdClass(LedgerEntry.Key.class)
// Its indexes are the migrations' (V1: ledger_entry_matches, ledger_entry_as_of, ledger_entry_match_id), which
// HistoryProjectionTest checks on the migrated schema.
@Table(name = "ledger_entry")
public class LedgerEntry {

    @Id
    private String playerId;

    @Id
    private long sequence;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR) // text on every database: H2's ENUM type misreads values (V3 migration)
    private EntryKind kind;
    /** 1, 2, 3... over the player's matches; null for voids and adjustments. */
    private Long matchNumber;

    private String matchId;
    private String adjustmentId;
    private String opponentId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR) // text on every database: H2's ENUM type misreads values (V3 migration)
    private MatchResult result;

    private int points;
    private long totalAfter;
    /** On a match: voided since. A void is an entry of its own as well; this only marks the match it reversed. */
    private boolean voided;

    @Column(length = 500)
    private String reason;

    @FractionalSeconds(9)
    private Instant occurredAt;

    @FractionalSeconds(9)
    private Instant recordedAt;
    /** Null until stored: Spring Data then persists a new entry without first selecting it. */
    @Version
    private Long version;

    protected LedgerEntry() {
        // for JPA
    }

    private LedgerEntry(
            String playerId, long sequence, EntryKind kind, int points, long totalAfter, Instant recordedAt) {
        this.playerId = playerId;
        this.sequence = sequence;
        this.kind = kind;
        this.points = points;
        this.totalAfter = totalAfter;
        this.recordedAt = recordedAt;
    }

    static LedgerEntry match(MatchRecorded event, long sequence, long matchNumber, Instant recordedAt) {
        LedgerEntry entry = new LedgerEntry(
                event.playerId(), sequence, EntryKind.MATCH, event.points(), event.totalAfter(), recordedAt);
        entry.matchNumber = matchNumber;
        entry.matchId = event.matchId();
        entry.opponentId = event.opponentId();
        entry.result = event.result();
        entry.occurredAt = event.occurredAt();
        return entry;
    }

    static LedgerEntry voiding(MatchVoided event, long sequence, Instant recordedAt) {
        LedgerEntry entry = new LedgerEntry(
                event.playerId(), sequence, EntryKind.VOID, event.points(), event.totalAfter(), recordedAt);
        entry.matchId = event.matchId();
        entry.opponentId = event.opponentId();
        entry.result = event.result();
        entry.reason = event.reason();
        return entry;
    }

    static LedgerEntry adjustment(PointsAdjusted event, long sequence, Instant recordedAt) {
        LedgerEntry entry = new LedgerEntry(
                event.playerId(), sequence, EntryKind.ADJUSTMENT, event.points(), event.totalAfter(), recordedAt);
        entry.adjustmentId = event.adjustmentId();
        entry.reason = event.reason();
        return entry;
    }

    void markVoided() {
        voided = true;
    }

    PlayerMatch match() {
        return new PlayerMatch(matchId, opponentId, result, points, totalAfter, voided, occurredAt, recordedAt);
    }

    public String getPlayerId() {
        return playerId;
    }

    public long getSequence() {
        return sequence;
    }

    public EntryKind getKind() {
        return kind;
    }

    public Long getMatchNumber() {
        return matchNumber;
    }

    public String getMatchId() {
        return matchId;
    }

    public String getAdjustmentId() {
        return adjustmentId;
    }

    public int getPoints() {
        return points;
    }

    public long getTotalAfter() {
        return totalAfter;
    }

    public boolean isVoided() {
        return voided;
    }

    public String getReason() {
        return reason;
    }

    public String getOpponentId() {
        return opponentId;
    }

    public MatchResult getResult() {
        return result;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public Instant getRecordedAt() {
        return recordedAt;
    }

    /** The primary key: a player's stream and the sequence of the event in it. */
    public static class Key implements Serializable {

        private String playerId;
        private long sequence;

        protected Key() {
            // for JPA
        }

        public Key(String playerId, long sequence) {
            this.playerId = playerId;
            this.sequence = sequence;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && sequence == key.sequence && Objects.equals(playerId, key.playerId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(playerId, sequence);
        }
    }
}
