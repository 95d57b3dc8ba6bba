package io.matchledger.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.core.api.MatchRecorded;
import io.matchledger.core.api.MatchResult;
import io.matchledger.core.api.MatchSettled;
import io.matchledger.core.api.Outcome;
import io.matchledger.core.api.PlayerRegistered;
import io.matchledger.core.api.SeasonWindow;
import io.matchledger.core.api.SeasonsDefined;
import io.matchledger.core.api.Share;
import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.lifecycle.InterruptedSwaps;
import io.matchledger.projections.lifecycle.InterruptedSwaps.Recovered;
import io.matchledger.projections.lifecycle.TableSwap;
import io.matchledger.projections.lifecycle.TokenStoreView;
import io.matchledger.projections.personal.PlayerKeyTable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.common.jpa.SimpleEntityManagerProvider;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.TokenEntry;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A rebuild's swap cut off after each of its steps, for every projection, on H2: the steps are the ones a rebuild
 * runs ({@link TableSwap}, its decision writing the tokens through Axon's JPA token store), in a transaction that is
 * then rolled back, which is what a kill does to what had not committed (H2 commits each rename on its own). The
 * start-up recovery then runs as it does in the service, from Flyway ({@link InterruptedSwaps}), and the projection
 * must have whole tables under their names, the rebuilt model live if the decision committed and the old one if not,
 * the tokens that belong to it, and empty twins.
 * <p>
 * The two models hold the same rows and are told apart by a comment on each table, which travels with its renames.
 */
// Without Spring, on a migrated H2 (MigratedH2): the projections built by hand, and the JPA the service has (Hibernate
// over the read models and Axon's token entries, a JPA transaction manager that JDBC writes join).
class InterruptedSwapTest {

    static final String LIVE = "live model";
    static final String REBUILT = "rebuilt model";
    static final TrackingToken LIVE_TOKEN = new GlobalSequenceTrackingToken(5);
    static final TrackingToken REBUILT_TOKEN = new GlobalSequenceTrackingToken(9);
    static final Instant PLAYED = Instant.parse("2026-11-25T21:30:00Z");

    static MigratedH2 db;
    static EntityManager entityManager;
    static PlatformTransactionManager transactionManager;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(db.dataSource);
        factory.setPackagesToScan(LedgerEntry.class.getPackageName(), TokenEntry.class.getPackageName());
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setJpaPropertyMap(Map.of(
                "hibernate.hbm2ddl.auto",
                "validate",
                "hibernate.physical_naming_strategy",
                CamelCaseToUnderscoresNamingStrategy.class.getName()));
        factory.afterPropertiesSet();
        EntityManagerFactory entityManagers = factory.getObject();
        entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagers);
        transactionManager = new JpaTransactionManager(entityManagers);
    }

    final JdbcTemplate jdbc = db.jdbc;
    final PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
    final ObjectProvider<EventStore> noStore = new StaticListableBeanFactory().getBeanProvider(EventStore.class);
    final StandingsProjection standings = new StandingsProjection(db.dataSource, personal, noStore);
    final MatchesProjection matches = new MatchesProjection(db.dataSource, noStore);
    final HistoryProjection history = new HistoryProjection(db.dataSource, noStore);
    final List<Rebuildable> projections = List.of(standings, matches, history);
    final Serializer serializer = JacksonSerializer.defaultSerializer();
    /** Axon's JPA token store, as the service has it. */
    final TokenStore tokenStore = JpaTokenStore.builder()
            .entityManagerProvider(new SimpleEntityManagerProvider(entityManager))
            .serializer(serializer)
            .build();

    final TokenStoreView tokens = new TokenStoreView(jdbc, serializer);

    /** Rows of each live table, as first written by the projections. */
    final Map<String, Integer> rows = new HashMap<>();

    @BeforeEach
    void aModelInEveryTable() {
        if (jdbc.queryForObject("select count(*) from player_standing", Integer.class) == 0) {
            EventFeed players = new EventFeed(standings, transactionManager);
            EventFeed entries = new EventFeed(history, transactionManager);
            for (EventFeed feed : List.of(players, entries)) {
                feed.publish("ann", new PlayerRegistered("ann", personal.seal("ann", "Ann")));
                feed.publish("bob", new PlayerRegistered("bob", personal.seal("bob", "Bob")));
                feed.publish("ann", new MatchRecorded("ann", "m-1", "bob", MatchResult.WIN, 3, 3, PLAYED));
                feed.publish("bob", new MatchRecorded("bob", "m-1", "ann", MatchResult.LOSS, 0, 0, PLAYED));
            }
            EventFeed settled = new EventFeed(matches, transactionManager);
            settled.publish(
                    "calendar",
                    new SeasonsDefined(List.of(new SeasonWindow(
                            "s-1",
                            "Week",
                            Instant.parse("2026-11-25T00:00:00Z"),
                            Instant.parse("2026-12-02T00:00:00Z"),
                            Duration.ofHours(1)))));
            settled.publish(
                    "match:m-1",
                    new MatchSettled(
                            "m-1",
                            Outcome.WIN,
                            List.of(new Share("ann", MatchResult.WIN, 3, 3), new Share("bob", MatchResult.LOSS, 0, 0)),
                            PLAYED));
        }
        for (Rebuildable projection : projections) {
            for (String table : projection.tables()) {
                int count = count(table);
                assertThat(count).as("rows in %s", table).isPositive();
                rows.put(table, count);
            }
        }
    }

    @Test
    void aSwapCutOffAfterAnyStepIsFinishedOrUndoneAtTheNextStart() {
        for (Rebuildable projection : projections) {
            int steps = swap(projection).steps(() -> {}).size();
            // The decision's writes commit with the first rename after it.
            int decision = 1 + projection.tables().size();
            for (int done = 0; done <= steps; done++) {
                rebuiltBesideTheLive(projection);
                List<TableSwap.Step> cutOff = cutOffAfter(projection, done);

                List<Recovered> recovered = start();

                boolean begun = done >= 2; // the swap's row commits with the first park
                boolean decided = done >= decision + 2;
                String state = projection.name() + " cut off after " + cutOff;
                assertThat(recovered)
                        .as(state)
                        .isEqualTo(begun ? List.of(new Recovered(projection.name(), decided)) : List.of());
                assertWhole(state);
                for (String table : projection.tables()) {
                    assertThat(comment(table)).as(state).isEqualTo(decided ? REBUILT : LIVE);
                    assertThat(comment(TableSet.REBUILD.of(table))).as(state).isEqualTo(decided ? LIVE : REBUILT);
                    assertThat(count(table)).as(state).isEqualTo(rows.get(table));
                    assertThat(count(TableSet.REBUILD.of(table)))
                            .as("%s: twins emptied", state)
                            .isEqualTo(begun ? 0 : rows.get(table));
                }
                assertThat(liveToken(projection)).as(state).isEqualTo(decided ? REBUILT_TOKEN : LIVE_TOKEN);
                assertThat(tokens.tokens(rebuildProcessor(projection)))
                        .as("%s: the rebuild's token forgotten", state)
                        .hasSize(begun ? 0 : 1);
            }
        }
    }

    @Test
    void aSwapThatCommitsNeedsNoRecovery() {
        Rebuildable projection = projections.get(0);
        rebuiltBesideTheLive(projection);
        new TransactionTemplate(transactionManager)
                .executeWithoutResult(status -> swap(projection).run(decision(projection)));

        assertThat(start()).isEmpty();
        assertWhole("after a swap");
        for (String table : projection.tables()) {
            assertThat(comment(table)).isEqualTo(REBUILT);
            assertThat(comment(TableSet.REBUILD.of(table))).isEqualTo(LIVE);
        }
        assertThat(liveToken(projection)).isEqualTo(REBUILT_TOKEN);
        swapBack(projection);
    }

    /**
     * The swap this one replaced renamed each table in place (live to {@code _swapping}, twin to live, {@code
     * _swapping} to twin); a kill could leave a table parked, and the service did not start. Now it keeps the rebuilt
     * rows, as ADR 0012 told operators to do by hand.
     */
    @Test
    void aTableParkedByTheEarlierSwapIsPutBack() {
        Rebuildable projection = projections.get(0);
        for (int renames = 1; renames <= 2; renames++) {
            rebuiltBesideTheLive(projection);
            String table = projection.tables().get(0);
            String twin = TableSet.REBUILD.of(table);
            jdbc.execute("alter table " + table + " rename to " + table + "_swapping");
            if (renames == 2) {
                jdbc.execute("alter table " + twin + " rename to " + table);
            }

            assertThat(start()).containsExactly(new Recovered(table, true));
            assertWhole("parked by the earlier swap after " + renames + " renames");
            assertThat(comment(table)).isEqualTo(REBUILT);
            assertThat(count(twin)).isZero();
            swapBack(projection);
        }
    }

    @Test
    void aStateNoStepLeavesStopsTheStartWithWhatItFound() {
        Rebuildable projection = projections.get(0);
        String table = projection.tables().get(0);
        jdbc.update(
                "insert into read_model_swap (processing_group, tables, decided) values (?, ?, true)",
                projection.name(),
                String.join(",", projection.tables()));
        jdbc.execute("alter table " + table + " rename to " + table + "_old");
        try {
            assertThatThrownBy(this::start)
                    .hasStackTraceContaining("cannot recover the swap of projection")
                    .hasStackTraceContaining(table + "_old");
        } finally {
            jdbc.execute("alter table " + table + "_old rename to " + table);
            jdbc.update("delete from read_model_swap");
        }
    }

    /** The twins hold a copy of the live rows, the rebuilt model; the live tokens and the rebuild's are stored. */
    private void rebuiltBesideTheLive(Rebuildable projection) {
        for (String table : projection.tables()) {
            String twin = TableSet.REBUILD.of(table);
            String columns = String.join(
                    ", ",
                    jdbc.queryForList(
                            "select column_name from information_schema.columns where lower(table_name) = ?",
                            String.class,
                            table));
            jdbc.execute("truncate table " + twin);
            jdbc.update("insert into " + twin + " (" + columns + ") select " + columns + " from " + table);
            jdbc.execute("comment on table " + table + " is '" + LIVE + "'");
            jdbc.execute("comment on table " + twin + " is '" + REBUILT + "'");
        }
        jdbc.update(
                "delete from token_entry where processor_name in (?, ?)",
                projection.name(),
                rebuildProcessor(projection));
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            // Unclaimed, as the live processor leaves them when it stops for the swap.
            tokenStore.initializeTokenSegments(projection.name(), 1, LIVE_TOKEN);
            tokenStore.initializeTokenSegments(rebuildProcessor(projection), 1, REBUILT_TOKEN);
        });
    }

    /** Runs the first {@code done} steps of the swap, and then what a kill does: what had not committed is lost. */
    private List<TableSwap.Step> cutOffAfter(Rebuildable projection, int done) {
        List<TableSwap.Step> steps = swap(projection).steps(decision(projection));
        List<TableSwap.Step> run = new ArrayList<>(steps.subList(0, done));
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            run.forEach(step -> step.action().run());
            status.setRollbackOnly();
        });
        return run;
    }

    /**
     * The decision as a rebuild makes it (each live token stored again, which claims its segment), and the token then
     * moved to {@link #REBUILT_TOKEN}: the test sees by it whether the decision's write committed with its mark.
     */
    private Runnable decision(Rebuildable projection) {
        Runnable storing =
                TableSwap.storing(tokenStore, entityManager, projection.name(), tokens.tokens(projection.name()));
        return () -> {
            storing.run();
            tokenStore.storeToken(REBUILT_TOKEN, projection.name(), 0);
            entityManager.flush();
        };
    }

    /** What the service does first when it starts: Flyway, with the recovery as its callback. */
    private List<Recovered> start() {
        List<Recovered> recovered = new ArrayList<>();
        List<Event> handled = new ArrayList<>();
        Flyway.configure()
                .dataSource(db.dataSource)
                .locations("classpath:db/migration/h2")
                .callbacks(new InterruptedSwaps() {
                    @Override
                    public void handle(Event event, Context context) {
                        handled.add(event);
                        recovered.addAll(recover(
                                new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true))));
                    }
                })
                .load()
                .migrate();
        assertThat(handled)
                .as("the recovery runs once, before any migration could touch a table")
                .containsExactly(Event.BEFORE_MIGRATE);
        return recovered;
    }

    /** Every projection's tables and twins under their own names, nothing under a swap's, no swap under way. */
    private void assertWhole(String state) {
        List<String> names = jdbc.queryForList(
                "select lower(table_name) from information_schema.tables where table_schema = current_schema",
                String.class);
        for (Rebuildable projection : projections) {
            for (String table : projection.tables()) {
                assertThat(names).as(state).contains(table, TableSet.REBUILD.of(table));
            }
        }
        assertThat(names)
                .as(state)
                .noneMatch(name -> name.endsWith("_next") || name.endsWith("_old") || name.endsWith("_swapping"));
        assertThat(count("read_model_swap")).as(state).isZero();
    }

    /** Puts the live model back under the live names, for the next case. */
    private void swapBack(Rebuildable projection) {
        for (String table : projection.tables()) {
            if (REBUILT.equals(comment(table))) {
                String twin = TableSet.REBUILD.of(table);
                jdbc.execute("alter table " + table + " rename to " + table + "_back");
                jdbc.execute("alter table " + twin + " rename to " + table);
                jdbc.execute("alter table " + table + "_back rename to " + twin);
            }
        }
    }

    private TableSwap swap(Rebuildable projection) {
        return new TableSwap(jdbc, projection.name(), projection.tables());
    }

    private TrackingToken liveToken(Rebuildable projection) {
        return tokens.tokens(projection.name()).get(0).token();
    }

    private static String rebuildProcessor(Rebuildable projection) {
        return projection.name() + TableSet.REBUILD.suffix();
    }

    private String comment(String table) {
        return jdbc.queryForObject(
                "select remarks from information_schema.tables where lower(table_name) = ?", String.class, table);
    }

    private int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }
}
