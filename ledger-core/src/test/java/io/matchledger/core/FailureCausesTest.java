package io.matchledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link Causes}, the one walker of a cause chain, and {@link SqlFailure}, the one reading of SQL states. */
class FailureCausesTest {

    @Test
    void theChainIsWalkedOutermostFirstAndACycleEndsIt() {
        SQLException innermost = new SQLException("deadlock detected", "40P01");
        RuntimeException middle = new IllegalStateException("append failed", innermost);
        CompletionException outer = new CompletionException(middle);
        assertThat(Causes.of(outer)).containsExactly(outer, middle, innermost);
        assertThat(Causes.root(outer)).isSameAs(innermost);
        assertThat(Causes.find(outer, SQLException.class)).containsSame(innermost);
        assertThat(Causes.find(outer, IOException.class)).isEmpty();

        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertThat(Causes.of(first)).containsExactly(first, second);
        assertThat(Causes.root(first)).isSameAs(second);
        assertThat(Causes.root(new UncheckedIOException(new IOException("x")))).isInstanceOf(IOException.class);
    }

    @Test
    void sqlStatesAreReadOneWay() {
        assertThat(SqlFailure.ofState("40001")).contains(SqlFailure.RACE_LOST);
        assertThat(SqlFailure.ofState("40P01")).contains(SqlFailure.RACE_LOST);
        assertThat(SqlFailure.ofState("55P03")).contains(SqlFailure.LOCK_TIMEOUT);
        assertThat(SqlFailure.ofState("57014")).contains(SqlFailure.STATEMENT_TIMEOUT);
        for (String away : new String[] {"08001", "08006", "57P01", "57P03", "53300", "25P03"}) {
            assertThat(SqlFailure.ofState(away)).as(away).contains(SqlFailure.UNAVAILABLE);
        }
        for (String other : new String[] {"23505", "22001", "42P01", "5701"}) {
            assertThat(SqlFailure.ofState(other)).as(other).isEmpty();
        }
        assertThat(SqlFailure.ofState(null)).isEmpty();
        assertThat(SqlFailure.of(new IllegalStateException("no SQL"))).isEmpty();
        assertThat(SqlFailure.RACE_LOST.in(new RuntimeException(new SQLException("x", "40001"))))
                .isTrue();
        assertThat(SqlFailure.RACE_LOST.in(new RuntimeException(new SQLException("x", "57014"))))
                .isFalse();
    }
}
