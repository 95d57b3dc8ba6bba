package io.matchledger.api.config;

import java.sql.Array;
import java.util.List;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The appends of every process on a PostgreSQL store, from PostgreSQL's own lock table. An append's INSERT takes a
 * {@code RowExclusiveLock} on {@code domain_event_entry} before it draws its indexes from the sequence, and holds it
 * until its transaction has ended, committed (and visible: PostgreSQL releases locks after it marks the transaction
 * committed) or rolled back, whether it is waiting on a synchronous standby, frozen mid-transaction or stalled. A
 * fence is the set of transactions holding that lock; it has passed once none of them is running any more.
 * <p>
 * Only transactions that wrote the event table count: a session idle in a transaction that never appended, or busy on
 * something else, holds no such lock and never stalls a decision (the trap Marten's gap detection met, JasperFx/marten
 * #5057 and #5108). A session that appended and then hangs does hold it, rightly: its events may still commit.
 */
final class PostgresInFlightAppends implements InFlightAppends {

    private record Writers(List<String> virtualTransactions) implements Fence {}

    private static final String WRITERS = "select distinct virtualtransaction from pg_locks where locktype = 'relation'"
            + " and relation = 'domain_event_entry'::regclass and mode = 'RowExclusiveLock'"
            + " and virtualtransaction is not null";
    private static final String RUNNING =
            "select count(*) from pg_locks where locktype = 'virtualxid' and virtualxid = any (?)";
    private static final Ticket NOTHING_TO_RELEASE = () -> {};

    private final JdbcTemplate jdbc;
    private volatile int lastSeen;

    PostgresInFlightAppends(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Fence fence() {
        List<String> writers = jdbc.queryForList(WRITERS, String.class);
        lastSeen = writers.size();
        return new Writers(writers);
    }

    @Override
    public boolean passed(Fence fence) {
        List<String> writers = ((Writers) fence).virtualTransactions();
        if (writers.isEmpty()) {
            return true;
        }
        Long running = jdbc.execute((ConnectionCallback<Long>) connection -> {
            Array ids = connection.createArrayOf("text", writers.toArray());
            try (var statement = connection.prepareStatement(RUNNING)) {
                statement.setArray(1, ids);
                try (var row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            } finally {
                ids.free();
            }
        });
        return running != null && running == 0;
    }

    /** Nothing to hold here: the lock the INSERT takes is the evidence. */
    @Override
    public Ticket begin() {
        return NOTHING_TO_RELEASE;
    }

    /** The writers the latest fence saw, in every process. */
    @Override
    public int inFlight() {
        return lastSeen;
    }
}
