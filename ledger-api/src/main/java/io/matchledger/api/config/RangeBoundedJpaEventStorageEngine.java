package io.matchledger.api.config;

import jakarta.persistence.TypedQuery;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

import java.util.List;

/**
 * Axon's JPA event store with two changes to how it reads, both so that H2 walks an index instead of a table.
 * <p>
 * How streaming processors read: the query for "events after the token, or in one of its gaps" gets a lower bound.
 * Under concurrent writers a token almost always has gaps, and H2 answers Axon's
 * {@code globalIndex > :token OR globalIndex IN :gaps} by scanning the whole event table, every poll: the work grew
 * with the ledger's history until it dominated the CPU. Every gap lies between the token's first gap and its index,
 * so {@code globalIndex >= :first} selects exactly the same rows and turns the scan into an index range.
 * <p>
 * How one stream is read: see {@link #fetchDomainEvents}.
 */
public class RangeBoundedJpaEventStorageEngine extends JpaEventStorageEngine {

    /** Axon keeps its own private; a stream's batch is read in a transaction, as Axon reads it. */
    private final TransactionManager transactionManager;

    protected RangeBoundedJpaEventStorageEngine(Builder builder) {
        super(builder);
        this.transactionManager = builder.transactionManager;
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

    /**
     * A second change, to how one stream is read: Axon orders a stream's batch by sequence number alone, and H2 then
     * does not see that the (aggregate, sequence) index already gives that order. It reads every event from the first
     * sequence to the end of the stream and sorts them, for each batch: a page of a long ledger cost seconds. Ordering
     * by the aggregate as well (one value here, so the same order) lets H2 walk the index and stop after the batch.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier,
                                                                   long firstSequenceNumber, int batchSize) {
        return transactionManager.fetchInTransaction(
                () -> (List) entityManager().createQuery(
                                             "SELECT new org.axonframework.eventhandling.GenericDomainEventEntry("
                                                     + "e.type, e.aggregateIdentifier, e.sequenceNumber, "
                                                     + "e.eventIdentifier, e.timeStamp, e.payloadType, "
                                                     + "e.payloadRevision, e.payload, e.metaData) "
                                                     + "FROM " + domainEventEntryEntityName() + " e "
                                                     + "WHERE e.aggregateIdentifier = :id AND e.sequenceNumber >= :seq "
                                                     + "ORDER BY e.aggregateIdentifier ASC, e.sequenceNumber ASC",
                                             DomainEventData.class)
                                     .setParameter("id", aggregateIdentifier)
                                     .setParameter("seq", firstSequenceNumber)
                                     .setMaxResults(batchSize)
                                     .getResultList());
    }

    public static class Builder extends JpaEventStorageEngine.Builder {

        private TransactionManager transactionManager;

        @Override
        public Builder transactionManager(TransactionManager transactionManager) {
            super.transactionManager(transactionManager);
            this.transactionManager = transactionManager;
            return this;
        }

        @Override
        public RangeBoundedJpaEventStorageEngine build() {
            return new RangeBoundedJpaEventStorageEngine(this);
        }
    }
}
