package io.matchledger.api.config;

import jakarta.persistence.TypedQuery;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

import java.util.List;

/**
 * Axon's JPA event store with one change to how streaming processors read: the query for "events after the token,
 * or in one of its gaps" gets a lower bound. Under concurrent writers a token almost always has gaps, and H2 answers
 * Axon's {@code globalIndex > :token OR globalIndex IN :gaps} by scanning the whole event table, every poll: the
 * work grew with the ledger's history until it dominated the CPU. Every gap lies between the token's first gap and
 * its index, so {@code globalIndex >= :first} selects exactly the same rows and turns the scan into an index range.
 */
public class RangeBoundedJpaEventStorageEngine extends JpaEventStorageEngine {

    protected RangeBoundedJpaEventStorageEngine(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected List<Object[]> fetchEvents(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().isEmpty()) {
            return super.fetchEvents(token);
        }
        TypedQuery<Object[]> query = entityManager().createQuery(
                "SELECT e.globalIndex, e.type, e.aggregateIdentifier, e.sequenceNumber, e.eventIdentifier, "
                        + "e.timeStamp, e.payloadType, e.payloadRevision, e.payload, e.metaData "
                        + "FROM " + domainEventEntryEntityName() + " e "
                        + "WHERE e.globalIndex >= :first AND (e.globalIndex > :token OR e.globalIndex IN :gaps) "
                        + "ORDER BY e.globalIndex ASC", Object[].class);
        return query.setParameter("first", token.getGaps().first())
                    .setParameter("token", token.getIndex())
                    .setParameter("gaps", token.getGaps())
                    .setMaxResults(batchSize())
                    .getResultList();
    }

    public static class Builder extends JpaEventStorageEngine.Builder {

        @Override
        public RangeBoundedJpaEventStorageEngine build() {
            return new RangeBoundedJpaEventStorageEngine(this);
        }
    }
}
