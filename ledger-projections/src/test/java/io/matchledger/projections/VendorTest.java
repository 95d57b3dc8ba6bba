package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The statements the two databases spell differently ({@link Vendor}): adding a change to a count inserts a total
 * nobody stood at and adds to one that is there, a count may go down to 0 (never below: the table's check), and the
 * lock of the counts runs in a transaction. On the migrated H2, and on PostgreSQL when the tests are given one
 * ({@code LEDGER_IT_PG_URL}).
 */
class VendorTest {

    @Test
    void onH2ACountIsInsertedThenAddedToAndMayGoDownToZero() {
        MigratedH2 db = MigratedH2.fresh();

        assertThat(Vendor.of(db.jdbc)).isSameAs(Vendor.H2);
        addsAndSubtracts(db.jdbc, "points_tally");
        new TransactionTemplate(db.transactions)
                .executeWithoutResult(
                        status -> db.jdbc.execute(Vendor.of(db.jdbc).lockCounts("points_tally")));
    }

    @Test
    void onPostgresqlANegativeChangeToACountThatIsThereKeepsTheTablesCheck() throws Exception {
        GivenPostgres given = GivenPostgres.orSkip();
        try (Connection connection = DriverManager.getConnection(given.url(), given.user(), given.password())) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            // A table of this session only, shaped as points_tally: a count never below 0.
            jdbc.execute("create temporary table vendor_tally (points bigint primary key, "
                    + "players bigint not null check (players >= 0), version bigint)");

            assertThat(Vendor.of(jdbc)).isSameAs(Vendor.POSTGRESQL);
            addsAndSubtracts(jdbc, "vendor_tally");
            jdbc.execute("begin");
            jdbc.execute(Vendor.of(jdbc).lockCounts("vendor_tally"));
            jdbc.execute("commit");
        }
    }

    private static void addsAndSubtracts(JdbcTemplate jdbc, String tally) {
        String add = Vendor.of(jdbc).addToCount(tally);
        change(jdbc, add, 3, 2);
        change(jdbc, add, 5, 1);
        assertThat(counts(jdbc, tally)).containsExactly(Map.entry(3L, 2L), Map.entry(5L, 1L));

        change(jdbc, add, 3, 4);
        change(jdbc, add, 5, -1);
        assertThat(counts(jdbc, tally)).containsExactly(Map.entry(3L, 6L), Map.entry(5L, 0L));
        assertThat(jdbc.queryForObject("select version from " + tally + " where points = 3", Long.class))
                .isEqualTo(1L);
    }

    private static void change(JdbcTemplate jdbc, String add, long points, long delta) {
        jdbc.update(add, points, delta, delta);
    }

    private static List<Map.Entry<Long, Long>> counts(JdbcTemplate jdbc, String tally) {
        return jdbc.query(
                "select points, players from " + tally + " order by points",
                (row, n) -> Map.entry(row.getLong(1), row.getLong(2)));
    }
}
