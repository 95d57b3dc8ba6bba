package io.matchledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.hibernate.exception.LockAcquisitionException;
import org.junit.jupiter.api.Test;

/** Which failures of an append are a race lost on its streams, besides a duplicate key. */
class EventRowsTest {

    @Test
    void aDeadlockOfTwoAppendsIsALostRaceHoweverDeeplyItIsWrapped() {
        SQLException postgres = new BatchUpdateException("deadlock detected", "40P01", new int[0]);
        SQLException h2 = new SQLException("Deadlock detected", "40001");

        assertThat(EventRows.deadlocked(
                        new IllegalStateException("unit of work", new LockAcquisitionException("append", postgres))))
                .isTrue();
        assertThat(EventRows.deadlocked(new RuntimeException(h2))).isTrue();
    }

    @Test
    void aDatabaseThatIsAwayOrARefusedRowIsNot() {
        assertThat(EventRows.deadlocked(new RuntimeException(new SQLException("connection refused", "08001"))))
                .isFalse();
        assertThat(EventRows.deadlocked(new SQLException("value too long", "22001")))
                .isFalse();
        assertThat(EventRows.deadlocked(new IllegalStateException("no SQL at all")))
                .isFalse();
    }
}
