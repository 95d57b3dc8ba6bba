package io.matchledger.api.config;

import io.matchledger.api.positions.WritePositions;
import jakarta.persistence.TypedQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.hibernate.Session;

/**
 * Axon's JPA event store with one change to how it appends and three to how it reads.
 * <p>
 * How a unit of work appends: see {@link #appendEvents}, one JDBC batch instead of an entity per event (ADR 0008).
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
public class LedgerJpaEventStorageEngine extends JpaEventStorageEngine {

    /** Axon keeps its own private; a stream's batch is read in a transaction, as Axon reads it. */
    private final TransactionManager transactionManager;

    private final PersistenceExceptionResolver persistenceExceptionResolver;
    private final EventRows rows;

    protected LedgerJpaEventStorageEngine(Builder builder) {
        super(builder);
        this.transactionManager = builder.transactionManager;
        this.persistenceExceptionResolver = builder.persistenceExceptionResolver;
        this.rows = new EventRows(builder.positions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Appends a unit of work's events, a whole group of matches among them, in one JDBC batch: one round trip, where
     * Axon's JPA engine persists an entity per event and asks the sequence for each number first. The rows are the
     * ones that entity would write ({@link DomainEventEntry} serialises them). Each row takes its global index from
     * the same sequence, one number at a time, inside its INSERT: numbers are still handed out as rows are written,
     * never as a block that a node writes later than another node's numbers (Axon #3374), and a gap is still only a
     * write in flight or rolled back, which the commit grace covers. A duplicate (stream, sequence) or event id is a
     * {@code ConcurrencyException} (the resolver reads the batch's SQL state): the command lost a race and is retried;
     * so is a deadlock between two such batches.
     * The indexes the rows took come back with the batch (generated keys, {@code RETURNING} on PostgreSQL, still one
     * pipelined batch) and go to {@link WritePositions}, which answers each write with its position (ADR 0011).
     */
    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        transactionManager.executeInTransaction(() -> {
            try {
                entityManager()
                        .unwrap(Session.class)
                        .doWork(connection -> rows.insert(
                                connection, events, event -> (DomainEventEntry) createEventEntity(event, serializer)));
            } catch (Exception e) {
                if ((persistenceExceptionResolver != null && persistenceExceptionResolver.isDuplicateKeyViolation(e))
                        || EventRows.deadlocked(e)) {
                    // Axon calls it AggregateStreamCreationException, not a ConcurrencyException, when the batch's
                    // first event opens a stream, whichever row collided. For a ledger it is always a lost race; so
                    // is a deadlock here (see EventRows.deadlocked).
                    throw new ConcurrencyException(
                            "Another writer appended to one of the streams of " + events.size() + " events first", e);
                }
                handlePersistenceException(e, events.get(0));
            }
        });
    }

    @Override
    protected List<Object[]> fetchEvents(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().isEmpty()) {
            return super.fetchEvents(token);
        }
        TypedQuery<Object[]> query = entityManager()
                .createQuery(
                        "SELECT e.globalIndex, e.type, e.aggregateIdentifier, e.sequenceNumber, e.eventIdentifier, "
                                + "e.timeStamp, e.payloadType, e.payloadRevision, e.payload, e.metaData "
                                + "FROM " + domainEventEntryEntityName() + " e "
                                + "WHERE e.globalIndex >= :first AND (e.globalIndex > :token OR e.globalIndex IN :gaps) "
                                + "ORDER BY e.globalIndex ASC",
                        Object[].class);
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
    protected List<? extends DomainEventData<?>> fetchDomainEvents(
            String aggregateIdentifier, long firstSequenceNumber, int batchSize) {
        return transactionManager.fetchInTransaction(() -> (List) entityManager()
                .createQuery(
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
        private PersistenceExceptionResolver persistenceExceptionResolver;
        private WritePositions positions;

        /** Told the global indexes of each write's rows; none by default (a tool that only reads or seeds). */
        public Builder writePositions(WritePositions positions) {
            this.positions = positions;
            return this;
        }

        @Override
        public Builder transactionManager(TransactionManager transactionManager) {
            super.transactionManager(transactionManager);
            this.transactionManager = transactionManager;
            return this;
        }

        @Override
        public Builder persistenceExceptionResolver(PersistenceExceptionResolver persistenceExceptionResolver) {
            super.persistenceExceptionResolver(persistenceExceptionResolver);
            this.persistenceExceptionResolver = persistenceExceptionResolver;
            return this;
        }

        @Override
        public LedgerJpaEventStorageEngine build() {
            return new LedgerJpaEventStorageEngine(this);
        }
    }
}
