package io.matchledger.projections;

import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.Share;
import io.matchledger.projections.api.MatchView;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.FractionalSeconds;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A match as it was settled. The two sides keep the order of the event: for a decisive match the winner first.
 * Instants keep nanoseconds so that the match reads back exactly as the recording answer gave it.
 */
@Entity
@Table(name = "match_record")
public class MatchRecord {

    @Id
    private String matchId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR) // text on every database: H2's ENUM type misreads values (V3 migration)
    private Outcome outcome;

    private String firstPlayerId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR) // text on every database: H2's ENUM type misreads values (V3 migration)
    private MatchResult firstResult;

    private int firstPoints;
    private String secondPlayerId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR) // text on every database: H2's ENUM type misreads values (V3 migration)
    private MatchResult secondResult;

    private int secondPoints;

    @FractionalSeconds(9)
    private Instant occurredAt;

    @FractionalSeconds(9)
    private Instant recordedAt;

    private boolean voided;
    /** Null until stored: Spring Data then persists a new match without first selecting it. */
    @Version
    private Long version;

    protected MatchRecord() {
        // for JPA
    }

    MatchRecord(MatchSettled settled, Instant recordedAt) {
        Share first = settled.players().get(0);
        Share second = settled.players().get(1);
        this.matchId = settled.matchId();
        this.outcome = settled.outcome();
        this.firstPlayerId = first.playerId();
        this.firstResult = first.result();
        this.firstPoints = first.points();
        this.secondPlayerId = second.playerId();
        this.secondResult = second.result();
        this.secondPoints = second.points();
        this.occurredAt = settled.occurredAt();
        this.recordedAt = recordedAt;
        this.voided = false;
    }

    MatchView view() {
        return new MatchView(
                matchId,
                outcome,
                List.of(
                        new MatchView.Side(firstPlayerId, firstResult, firstPoints),
                        new MatchView.Side(secondPlayerId, secondResult, secondPoints)),
                occurredAt,
                recordedAt,
                voided);
    }

    public String getMatchId() {
        return matchId;
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public String getFirstPlayerId() {
        return firstPlayerId;
    }

    public MatchResult getFirstResult() {
        return firstResult;
    }

    public int getFirstPoints() {
        return firstPoints;
    }

    public String getSecondPlayerId() {
        return secondPlayerId;
    }

    public MatchResult getSecondResult() {
        return secondResult;
    }

    public int getSecondPoints() {
        return secondPoints;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public Instant getRecordedAt() {
        return recordedAt;
    }
}
