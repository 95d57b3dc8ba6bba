package io.matchledger.api.config;

import jakarta.persistence.TypedQuery;
import org.hibernate.Session;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/**
 * Axon's JPA event store with two changes to how it reads, both so that H2 walks an index instead of a table.
 * <p>
 * How streaming processors read: the query for "events after the token, or in one of its gaps" gets a lower bound.
 * Under concurrent writers a token almost always has gaps, and H2 answers Axon's
 * {@code globalIndex > :token OR globalIndex IN :gaps} by scanning the whole event table, every poll: the work grew
 * with the ledger's history until it dominated the CPU. Every gap lies between the token's first gap and its index,
 * so {@code globalIndex >= :first} selects exactly the same rows and turns the scan into an index range.
 * <p>
 * How one stream is read: see {@link #fetchDomainEvents}. And a third change, to a stream's last sequence number,
 * which every command asks for: see {@link #lastSequenceNumberFor}.
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
     * Asked once per match for its key stream, and on PostgreSQL once per ledger to check the cache: one index look-up,
     * which through Hibernate's query pipeline took 45% of a command's CPU samples on H2. The same SQL over the
     * session's own connection skips the pipeline; the table is the one the migrations create. It joins the command's
     * transaction, and outside one (the history endpoint asks too) opens a short one, so the session is always bound.
     */
    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return transactionManager.fetchInTransaction(() -> lastSequenceNumberInSession(aggregateIdentifier));
    }

    private Optional<Long> lastSequenceNumberInSession(String aggregateIdentifier) {
        return entityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement sql = connection.prepareStatement(
                    "SELECT MAX(sequence_number) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
                sql.setString(1, aggregateIdentifier);
                try (ResultSet row = sql.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<Long>empty();
                    }
                    long last = row.getLong(1);
                    return row.wasNull() ? Optional.<Long>empty() : Optional.of(last); // MAX of no rows is NULL
                }
            }
        });
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
