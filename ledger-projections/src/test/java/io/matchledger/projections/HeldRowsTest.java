package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rows a rebuild holds across batches (ADR 0012): a batch changes copies, which join the held rows only once merged
 * after its commit; the rows are written once, after which nothing is held.
 */
class HeldRowsTest {

    /** A player's count, as the histories hold them. */
    static final class Count {
        final String player;
        long matches;

        Count(String player, long matches) {
            this.player = player;
            this.matches = matches;
        }

        @Override
        public String toString() {
            return player + "=" + matches;
        }
    }

    /** Holds at most two counts; what it inserts is what a table would get. */
    static final class Counts extends HeldRows.ByKey<Count> {
        final List<String> inserted = new ArrayList<>();

        Counts() {
            super(count -> count.player, 2);
        }

        @Override
        protected Count copy(Count row) {
            return new Count(row.player, row.matches);
        }

        @Override
        protected void insert(List<Count> rows) {
            rows.forEach(row -> inserted.add(row.toString()));
        }
    }

    @Test
    void aBatchChangesCopiesThatAreHeldOnlyOnceMergedAndWrittenOnce() {
        Counts held = new Counts();
        assertThat(held.holding()).isTrue();
        assertThat(held.full()).isFalse();
        assertThat(held.copyOf("ann")).isNull();

        held.merge(Set.of(), List.of(new Count("ann", 1)));
        Count copy = held.copyOf("ann");
        copy.matches = 5; // a batch that fails: its change is not held
        assertThat(held.copyOf("ann").matches).isEqualTo(1);
        assertThat(held.full()).isFalse();

        held.merge(Set.of(), List.of(new Count("bob", 1), new Count("ann", 2)));
        assertThat(held.full()).isTrue();
        held.merge(Set.of("bob"), List.of());
        assertThat(held.copyOf("bob")).isNull();
        assertThat(held.full()).isFalse();
        held.merge(Set.of(), List.of(new Count("cy", 1)));

        held.writeHeld();
        assertThat(held.inserted).containsExactlyInAnyOrder("ann=2", "cy=1");
        assertThat(held.holding()).isFalse();
        assertThat(held.full()).isFalse();
        assertThat(held.copyOf("ann")).isNull();

        held.writeHeld();
        assertThat(held.inserted).hasSize(2);
    }

    @Test
    void theLiveModelHoldsNothing() {
        assertThat(HeldRows.NONE.holding()).isFalse();
        assertThat(HeldRows.NONE.full()).isFalse();
        HeldRows.NONE.writeHeld();
        assertThat(HeldRows.NONE.holding()).isFalse();
    }
}
