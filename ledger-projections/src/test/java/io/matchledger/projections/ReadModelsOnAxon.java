package io.matchledger.projections;

import io.matchledger.core.personal.PersonalData;
import io.matchledger.projections.lifecycle.ProjectionRebuilds;
import io.matchledger.projections.lifecycle.ProjectionSettings;
import io.matchledger.projections.lifecycle.Projections;
import io.matchledger.projections.lifecycle.RebuildInterceptor;
import io.matchledger.projections.lifecycle.TokenStoreView;
import io.matchledger.projections.personal.PlayerKeyTable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.jpa.SimpleEntityManagerProvider;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

/**
 * The read models as the service runs them, without Spring: the three projections on one real Axon tracking processor
 * ({@link ReadModels#PROCESSING_GROUP}) over Axon's embedded event store, its tokens in Axon's JPA token store on a
 * migrated H2 (Hibernate bootstrapped as a plain object, as the service's JPA is), and the lifecycle beans
 * ({@link Projections}, {@link ProjectionRebuilds}) built as Spring would build them. A second streaming processor
 * ({@value #OTHER}) stands for the webhooks', which is listed but not rebuilt.
 */
public final class ReadModelsOnAxon implements AutoCloseable {

    /** Another streaming processor, not a read model's. */
    public static final String OTHER = "deliveries";

    public final MigratedH2 db = MigratedH2.fresh();
    public final JdbcTemplate jdbc = db.jdbc;
    public final Serializer serializer = JacksonSerializer.defaultSerializer();
    public final EntityManagerFactory entityManagers = entityManagers(db);
    public final JpaTransactionManager transactions = new JpaTransactionManager(entityManagers);
    public final EntityManager entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagers);
    public final TokenStore tokenStore = JpaTokenStore.builder()
            .entityManagerProvider(new SimpleEntityManagerProvider(entityManager))
            .serializer(serializer)
            .build();
    public final TokenStoreView tokens = new TokenStoreView(jdbc, serializer);
    public final ReadModelGate gate = new ReadModelGate();
    /** What the rebuilds published (Spring's application events). */
    public final List<Object> published = new CopyOnWriteArrayList<>();
    /** Events the other processor handled. */
    public final List<Object> delivered = new CopyOnWriteArrayList<>();

    public final Configuration axon;
    public final StandingsProjection standings;
    public final MatchesProjection matches;
    public final HistoryProjection history;
    public final ProjectionRebuilds rebuilds;
    public final Projections projections;
    public final LedgerScript script;

    /**
     * Every read model, its rebuilds in batches of {@code rebuildBatchSize} and bound to reach the head within 60 s and
     * finish within 10 s, {@code interceptors} around each event.
     */
    public ReadModelsOnAxon(int rebuildBatchSize, RebuildInterceptor... interceptors) {
        this(new ProjectionSettings(rebuildBatchSize, Duration.ofSeconds(60), Duration.ofSeconds(10)), interceptors);
    }

    /** Every read model, its rebuilds as {@code settings} say, {@code interceptors} around each event. */
    public ReadModelsOnAxon(ProjectionSettings settings, RebuildInterceptor... interceptors) {
        transactions.setDataSource(db.dataSource); // the projections' JDBC writes join the processor's transaction
        transactions.afterPropertiesSet();
        PersonalData personal = new PersonalData(new PlayerKeyTable(db.dataSource));
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        standings = new StandingsProjection(db.dataSource, personal, beans.getBeanProvider(EventStore.class));
        matches = new MatchesProjection(db.dataSource, beans.getBeanProvider(EventStore.class));
        history = new HistoryProjection(db.dataSource, beans.getBeanProvider(EventStore.class));

        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureSerializer(c -> serializer)
                .configureTransactionManager(c -> new SpringTransactionManager(transactions));
        configurer
                .eventProcessing()
                .registerTrackingEventProcessor(
                        ReadModels.PROCESSING_GROUP,
                        Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(100)
                                // From the first event as such: Axon's default initial token is a replay up to the
                                // head at the first start, which a test could see as replaying or not by timing.
                                .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                                // Stopped within a tenth of a second, not Axon's second: the rebuilds stop it.
                                .andEventAvailabilityTimeout(100, TimeUnit.MILLISECONDS))
                .registerTrackingEventProcessor(
                        OTHER,
                        Configuration::eventStore,
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andInitialTrackingToken(StreamableMessageSource::createTailToken)
                                .andEventAvailabilityTimeout(100, TimeUnit.MILLISECONDS))
                .registerTokenStore(c -> tokenStore)
                .registerEventHandler(c -> standings)
                .registerEventHandler(c -> matches)
                .registerEventHandler(c -> history)
                .registerEventHandler(c -> new Deliveries(delivered))
                .assignHandlerInstancesMatching(OTHER, Deliveries.class::isInstance)
                .byDefaultAssignTo(ReadModels.PROCESSING_GROUP);
        new ReadModels().configureModule(configurer);
        axon = configurer.start();
        beans.addBean("eventStore", axon.eventStore());

        List<Rebuildable> readModels = List.of(standings, matches, history);
        rebuilds = new ProjectionRebuilds(
                readModels,
                axon.eventStore(),
                tokenStore,
                axon.getComponent(org.axonframework.common.transaction.TransactionManager.class),
                transactions,
                tokens,
                jdbc,
                entityManager,
                gate,
                published::add,
                List.of(interceptors),
                settings);
        projections = new Projections(axon, axon.eventStore(), tokens, rebuilds, readModels);
        script = new LedgerScript(personal, axon.eventBus());
    }

    /** The processor of every read model. */
    public StreamingEventProcessor readModels() {
        return axon.eventProcessingConfiguration()
                .eventProcessor(ReadModels.PROCESSING_GROUP, StreamingEventProcessor.class)
                .orElseThrow();
    }

    /** The other streaming processor. */
    public StreamingEventProcessor other() {
        return axon.eventProcessingConfiguration()
                .eventProcessor(OTHER, StreamingEventProcessor.class)
                .orElseThrow();
    }

    /**
     * Every row of the table, ordered by all its columns, as text: what a reader of the table could see. Not the
     * optimistic lock's version, which counts the writes of a row, nor a tally's row of no players, which counts
     * nobody: both depend on how the events fell into batches, which differs between the live model and a rebuild.
     */
    public List<Map<String, Object>> rows(String table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        jdbc.queryForList("select * from " + table).forEach(row -> {
            Map<String, Object> shown = new java.util.TreeMap<>(row);
            shown.remove("VERSION");
            if (!Long.valueOf(0).equals(shown.get("PLAYERS"))) {
                rows.add(shown);
            }
        });
        rows.sort((a, b) -> a.toString().compareTo(b.toString()));
        return rows;
    }

    @Override
    public void close() {
        axon.shutdown();
        entityManagers.close();
    }

    /** The other processor's handler: it records what it is handed. */
    static final class Deliveries {
        private final List<Object> delivered;

        Deliveries(List<Object> delivered) {
            this.delivered = delivered;
        }

        @EventHandler
        void on(Object event) {
            delivered.add(event);
        }
    }

    private static EntityManagerFactory entityManagers(MigratedH2 db) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(db.dataSource);
        factory.setPackagesToScan("org.axonframework.eventhandling.tokenstore.jpa");
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setJpaPropertyMap(Map.of(
                "hibernate.physical_naming_strategy",
                CamelCaseToUnderscoresNamingStrategy.class.getName(),
                "hibernate.hbm2ddl.auto",
                "none"));
        factory.afterPropertiesSet();
        return factory.getObject();
    }
}
