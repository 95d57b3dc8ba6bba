package io.matchledger.api.config;

import io.matchledger.api.positions.WritePositions;
import jakarta.persistence.TypedQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.hibernate.Session;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Axon's JPA event store with two changes to how it appends and four to how it reads.
 * <p>
 * How a unit of work appends: see {@link #appendEvents}, one JDBC batch instead of an entity per event (ADR 0008),
 * held by a ticket of {@link InFlightAppends} while it is in flight, and refused when its events were made longer
 * ago than the append bound.
 * <p>
 * Which events streaming processors are given: see {@link #fetchTrackedEvents}, whose tokens give up a gap only on
 * evidence ({@link StoreGaps}, ADR 0014), never by the clock or by distance, so a write that commits late is read.
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
    private final InFlightAppends appends;
    private final StoreGaps gaps;
    private final Duration appendBound;
    private final java.util.concurrent.atomic.LongAdder staleAppends = new java.util.concurrent.atomic.LongAdder();

    protected LedgerJpaEventStorageEngine(Builder builder) {
        super(builder);
        this.transactionManager = builder.transactionManager;
        this.persistenceExceptionResolver = builder.persistenceExceptionResolver;
        this.rows = new EventRows(builder.positions);
        this.appends = java.util.Objects.requireNonNull(builder.appends, "inFlightAppends is required");
        this.gaps = java.util.Objects.requireNonNull(builder.gaps, "storeGaps is required");
        this.appendBound = java.util.Objects.requireNonNull(builder.appendBound, "appendBound is required");
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
            InFlightAppends.Ticket ticket = appends.begin();
            releaseWhenTheTransactionEnds(ticket);
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
            requireWithinAppendBound(events);
        });
    }

    /**
     * Refuses (and so rolls back) an append whose events were made longer than the append bound before their rows
     * took their indexes: a process frozen between deciding and appending. Checked after the INSERT, so an event that
     * passes took its index within the bound of its own timestamp, which is what lets the season sealer know when
     * every event recorded before a close holds its index (ADR 0014). The command is retried and decides afresh.
     */
    private void requireWithinAppendBound(List<? extends EventMessage<?>> events) {
        Instant now = GenericEventMessage.clock.instant();
        for (EventMessage<?> event : events) {
            Duration age = Duration.between(event.getTimestamp(), now);
            if (age.compareTo(appendBound) > 0) {
                staleAppends.increment();
                throw new StaleAppend(event.getPayloadType().getSimpleName() + " made " + age.toMillis()
                        + " ms before it took its place in the store, more than the append bound of "
                        + appendBound.toMillis() + " ms");
            }
        }
    }

    /** Appends refused because their events were older than the append bound, since start. */
    public long staleAppends() {
        return staleAppends.sum();
    }

    /** The ticket is released once the surrounding transaction has committed or rolled back, or at once without one. */
    private static void releaseWhenTheTransactionEnds(InFlightAppends.Ticket ticket) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    ticket.ended();
                }
            });
        } else {
            ticket.ended();
        }
    }

    /**
     * Axon's own reading of the events after a token, with one rule changed: a gap is kept in the token until the
     * store proves it a hole for good ({@link StoreGaps}), not dropped after the gap timeout, 10,000 indexes or 250
     * gaps, nor because the event after it carries an old timestamp (AxonFramework #4829). A write that commits late,
     * however late, is then read in its gap. Gaps the store has proved holes are dropped from the tokens, so a token
     * carries only the writes that may still commit.
     */
    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        GapAwareTrackingToken previous = (GapAwareTrackingToken) lastToken;
        StoreGaps.Decided decided = gaps.beforeRead();
        List<Object[]> entries = transactionManager.fetchInTransaction(() -> fetchEvents(previous));
        Set<Long> returned = new HashSet<>(entries.size() * 2);
        entries.forEach(entry -> returned.add((Long) entry[0]));
        long readThrough = entries.size() < batchSize() ? Long.MAX_VALUE : (Long) entries.get(entries.size() - 1)[0];

        List<TrackedEventData<?>> result = new ArrayList<>(entries.size());
        GapAwareTrackingToken token = decided.prune(previous, returned, readThrough);
        for (Object[] entry : entries) {
            long globalIndex = (Long) entry[0];
            String aggregateIdentifier = (String) entry[2];
            String eventIdentifier = (String) entry[4];
            GenericDomainEventEntry<?> event = new GenericDomainEventEntry<>(
                    (String) entry[1],
                    eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                    (long) entry[3],
                    eventIdentifier,
                    entry[5],
                    (String) entry[6],
                    (String) entry[7],
                    entry[8],
                    entry[9]);
            if (token == null) {
                token = GapAwareTrackingToken.newInstance(
                        globalIndex,
                        LongStream.range(Math.min(1, globalIndex), globalIndex)
                                .boxed()
                                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
            } else {
                if (globalIndex <= token.getIndex()) {
                    gaps.filled(globalIndex); // a write that committed after later ones were read
                }
                boolean opensGaps = globalIndex > token.getIndex() + 1;
                token = token.advanceTo(globalIndex, Integer.MAX_VALUE);
                if (opensGaps) {
                    token = decided.prune(token, returned, readThrough);
                }
            }
            result.add(new TrackedDomainEventData<>(token, event));
        }
        if (token != null) {
            gaps.observe(token.getGaps());
        }
        return result;
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
     * which through Hibernate's query pipeline cost a large share of a command's CPU (docs/performance.md, "Figures
     * behind the code's choices"). The same SQL over the session's own connection skips the pipeline; the table is the one the migrations create. It joins the command's
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
        private InFlightAppends appends;
        private StoreGaps gaps;
        private Duration appendBound;

        /** The evidence of which appends are in flight (required): held by this engine's appends. */
        public Builder inFlightAppends(InFlightAppends appends) {
            this.appends = appends;
            return this;
        }

        /** The decisions on the store's gaps (required), shared by every engine on the same store. */
        public Builder storeGaps(StoreGaps gaps) {
            this.gaps = gaps;
            return this;
        }

        /** How long after its events were made an append may take its indexes (required); later ones roll back. */
        public Builder appendBound(Duration appendBound) {
            this.appendBound = appendBound;
            return this;
        }

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
