package io.matchledger.api.eventtable;

import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads Axon's event table directly, in global order, one keyset page at a time ({@code global_index > last}): each
 * page is one short indexed query, so the cost of a page does not grow with how far into the store it is, memory holds
 * one page, and no connection stays open while the caller works on it (an export may write to a slow client).
 * <p>
 * Only where events are in those tables: on Axon Server the tables exist (the entities are scanned) but stay empty,
 * and an export or a verification from them would be wrong without saying so.
 */
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
@Component
public class StoredEvents {

    public static final int PAGE = 1_000;

    private static final String PAGE_QUERY = """
            select global_index, type, aggregate_identifier, sequence_number, event_identifier, time_stamp,
                   payload_type, payload_revision, payload, meta_data
            from domain_event_entry
            where global_index > ? and global_index <= ?
            order by global_index
            limit ?""";

    private final JdbcTemplate jdbc;

    public StoredEvents(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.jdbc.setFetchSize(PAGE);
    }

    /** The global index of the newest event, 0 when there is none. */
    public long head() {
        Long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    /**
     * Hands the events after {@code after} and up to {@code through} to {@code next} in global order, at most
     * {@code limit} of them, until {@code next} answers false.
     *
     * @return how many were handed over
     */
    public long read(long after, long through, long limit, Predicate<StoredEvent> next) {
        long last = after;
        long handed = 0;
        while (handed < limit) {
            int size = (int) Math.min(PAGE, limit - handed);
            List<StoredEvent> page = jdbc.query(
                    PAGE_QUERY,
                    (row, i) -> new StoredEvent(
                            row.getLong(1),
                            row.getString(2),
                            row.getString(3),
                            row.getLong(4),
                            row.getString(5),
                            row.getString(6),
                            row.getString(7),
                            row.getString(8),
                            row.getBytes(9),
                            row.getBytes(10)),
                    last,
                    through,
                    size);
            for (StoredEvent event : page) {
                if (!next.test(event)) {
                    return handed;
                }
                handed++;
                last = event.token();
            }
            if (page.size() < size) {
                return handed;
            }
        }
        return handed;
    }
}
