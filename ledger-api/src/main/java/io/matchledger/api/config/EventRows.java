package io.matchledger.api.config;

import io.matchledger.api.positions.WritePositions;
import io.matchledger.api.security.RecordedBy;
import io.matchledger.core.SqlFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jpa.DomainEventEntry;

/**
 * The rows of {@code domain_event_entry} as {@link LedgerJpaEventStorageEngine} appends them: a unit of work's events
 * in one JDBC batch, each taking its global index from the sequence inside its INSERT (ADR 0008).
 */
final class EventRows {

    private static final String[] INDEX_COLUMN = {"global_index"};

    private final WritePositions positions;
    private volatile String insertSql;

    EventRows(WritePositions positions) {
        this.positions = positions;
    }

    /**
     * Whether the batch failed on a deadlock ({@link SqlFailure#RACE_LOST}: PostgreSQL reports 40P01, H2 40001). The
     * only locks an append takes are those of the (stream, sequence) keys it inserts, so two appends deadlock only when
     * each inserts a key the other one inserted first, in another order (two groups of matches on different processes
     * that share players): a race lost on those streams, to be retried as one, with the conflicts' budget and jitter
     * rather than the single retry of other failures (the run that showed it: docs/performance.md, "Figures behind the
     * code's choices").
     */
    static boolean deadlocked(Throwable failure) {
        return SqlFailure.RACE_LOST.in(failure);
    }

    /** Inserts the events' rows in one JDBC batch, and hands the indexes they took to {@link WritePositions}. */
    void insert(
            Connection connection,
            List<? extends EventMessage<?>> events,
            Function<EventMessage<?>, DomainEventEntry> entries)
            throws SQLException {
        // The global index each row took, to answer the write with its position (WritePositions).
        try (PreparedStatement insert = connection.prepareStatement(insertSql(connection), INDEX_COLUMN)) {
            for (EventMessage<?> event : events) {
                DomainEventEntry entry = entries.apply(event);
                insert.setString(1, entry.getEventIdentifier());
                insert.setString(2, entry.getAggregateIdentifier());
                insert.setLong(3, entry.getSequenceNumber());
                insert.setString(4, entry.getType());
                insert.setString(5, DateTimeUtils.formatInstant(entry.getTimestamp()));
                insert.setString(6, entry.getPayload().getType().getName());
                insert.setString(7, entry.getPayload().getType().getRevision());
                insert.setBytes(8, (byte[]) entry.getPayload().getData());
                insert.setBytes(9, (byte[]) entry.getMetaData().getData());
                insert.addBatch();
            }
            insert.executeBatch();
            if (positions != null) {
                positions.appended(highestIndexByRequest(insert, events));
            }
        }
    }

    /** The rows' generated indexes come back in the order the rows were added to the batch. */
    private static Map<String, Long> highestIndexByRequest(
            PreparedStatement insert, List<? extends EventMessage<?>> events) throws SQLException {
        Map<String, Long> highest = new HashMap<>();
        try (ResultSet keys = insert.getGeneratedKeys()) {
            for (EventMessage<?> event : events) {
                if (!keys.next()) {
                    break;
                }
                long index = keys.getLong(1);
                if (event.getMetaData().get(RecordedBy.REQUEST_ID) instanceof String request) {
                    highest.merge(request, index, Math::max);
                }
            }
        }
        return highest;
    }

    private String insertSql(Connection connection) throws SQLException {
        String sql = insertSql;
        if (sql == null) {
            // The sequence the migrations create, in each database's own syntax.
            String next = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL")
                    ? "nextval('domain_event_entry_seq')"
                    : "NEXT VALUE FOR domain_event_entry_seq";
            sql = "INSERT INTO domain_event_entry (global_index, event_identifier, aggregate_identifier, "
                    + "sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data) "
                    + "VALUES (" + next + ", ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            insertSql = sql;
        }
        return sql;
    }
}
