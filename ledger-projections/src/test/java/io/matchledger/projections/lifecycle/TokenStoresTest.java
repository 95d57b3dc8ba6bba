package io.matchledger.projections.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.matchledger.projections.MigratedH2;
import io.matchledger.projections.ReadModels;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The processors' tokens as the service keeps them, in {@code token_entry} of the migrated schema, written by Axon's
 * own JDBC token store: {@link TokenStoreView} reads them without claiming, and {@link ReadModelTokens} hands the
 * former processors' position to the one processor of the read models.
 */
class TokenStoresTest {

    static final String THIS_PROCESS = ManagementFactory.getRuntimeMXBean().getName();
    static final String GROUP = ReadModels.PROCESSING_GROUP;

    static MigratedH2 db;
    static Serializer serializer;

    @BeforeAll
    static void database() {
        db = MigratedH2.fresh();
        serializer = JacksonSerializer.defaultSerializer();
    }

    @BeforeEach
    void noTokens() {
        db.jdbc.update("delete from token_entry");
    }

    /** Axon's token store over the service's table, claiming as the process {@code node}. */
    private static TokenStore store(String node) {
        return db.tokenStore(serializer, node);
    }

    private static TokenStoreView view() {
        return new TokenStoreView(db.jdbc, serializer);
    }

    @Test
    void theViewReadsEachSegmentsTokenAndHolderWithoutClaimingIt() {
        TokenStore here = store(THIS_PROCESS);
        here.initializeTokenSegments("p", 3, new GlobalSequenceTrackingToken(41));
        here.initializeTokenSegments("fresh", 1, null);
        store("other@elsewhere").fetchToken("p", 2);

        Map<Integer, TokenStoreView.StoredToken> tokens = view().tokens("p");

        assertThat(tokens).containsOnlyKeys(0, 1, 2);
        assertThat(tokens.values())
                .extracting(TokenStoreView.StoredToken::token)
                .containsOnly(new GlobalSequenceTrackingToken(41));
        assertThat(tokens.values())
                .allSatisfy(token -> assertThat(token.serialized()).isNotEmpty());
        assertThat(tokens.get(0).owner()).isNull();
        assertThat(tokens.get(2).owner()).isEqualTo("other@elsewhere");
        assertThat(view().tokens("fresh").get(0).token()).isNull();
        assertThat(view().tokens("none")).isEmpty();
        // Read, not claimed: this process can still claim segment 0.
        assertThat(here.fetchToken("p", 0)).isEqualTo(new GlobalSequenceTrackingToken(41));
    }

    @Test
    void onlyAnotherProcesssClaimIsHeldElsewhere() {
        store(THIS_PROCESS).initializeTokenSegments("p", 3);
        store("other@elsewhere").fetchToken("p", 1);
        store(THIS_PROCESS).fetchToken("p", 2);

        assertThat(view().heldElsewhere("p")).containsExactly(1);
        assertThat(view().heldElsewhere("unknown")).isEmpty();
    }

    @Test
    void aForgottenProcessorHasNoTokensLeftAndTheOthersKeepTheirs() {
        store(THIS_PROCESS).initializeTokenSegments("rebuild", 2);
        store(THIS_PROCESS).initializeTokenSegments("kept", 1);

        view().forget("rebuild");

        assertThat(view().tokens("rebuild")).isEmpty();
        assertThat(view().tokens("kept")).containsOnlyKeys(0);
    }

    @Test
    void theReadModelsGoOnFromTheLowestPositionOfTheFormerProcessorsInTheirSegments() {
        TokenStore store = store(THIS_PROCESS);
        store.initializeTokenSegments("standings", 1, new GlobalSequenceTrackingToken(70));
        store.initializeTokenSegments("matches", 2, new GlobalSequenceTrackingToken(40));
        store.initializeTokenSegments("history", 1, new GlobalSequenceTrackingToken(90));
        store.initializeTokenSegments("history_rebuild", 1, new GlobalSequenceTrackingToken(3));

        tokens(4).adoptFormerTokens(axon(store));

        Map<Integer, TokenStoreView.StoredToken> adopted = view().tokens(GROUP);
        assertThat(adopted).containsOnlyKeys(0, 1, 2, 3);
        assertThat(adopted.values())
                .extracting(TokenStoreView.StoredToken::token)
                .containsOnly(new GlobalSequenceTrackingToken(40));
        for (String former : List.of("standings", "matches", "history", "history_rebuild")) {
            assertThat(view().tokens(former)).as(former).isEmpty();
        }
    }

    @Test
    void aFormerProcessorThatHadNotStartedMakesTheReadModelsStartFromTheFirstEvent() {
        TokenStore store = store(THIS_PROCESS);
        store.initializeTokenSegments("standings", 1, new GlobalSequenceTrackingToken(70));
        store.initializeTokenSegments("matches", 1, null);

        tokens(1).adoptFormerTokens(axon(store));

        assertThat(view().tokens(GROUP)).containsOnlyKeys(0);
        assertThat(view().tokens(GROUP).get(0).token()).isNull();
        assertThat(view().tokens("standings")).isEmpty();
    }

    @Test
    void readModelsThatHaveTokensOrNoFormerProcessorsAreLeftAsTheyAre() {
        TokenStore store = store(THIS_PROCESS);
        tokens(2).adoptFormerTokens(axon(store));
        assertThat(view().tokens(GROUP)).isEmpty();

        store.initializeTokenSegments(GROUP, 1, new GlobalSequenceTrackingToken(5));
        store.initializeTokenSegments("standings", 1, new GlobalSequenceTrackingToken(70));
        tokens(2).adoptFormerTokens(axon(store));

        assertThat(view().tokens(GROUP)).containsOnlyKeys(0);
        assertThat(view().tokens(GROUP).get(0).token()).isEqualTo(new GlobalSequenceTrackingToken(5));
        assertThat(view().tokens("standings")).containsOnlyKeys(0);
    }

    @Test
    void formerProcessorsRunningInAnotherProcessRefuseTheStartWithWhatToDo() {
        store(THIS_PROCESS).initializeTokenSegments("standings", 1, new GlobalSequenceTrackingToken(70));
        store("former@elsewhere").fetchToken("standings", 0);

        assertThatThrownBy(() -> tokens(1).adoptFormerTokens(axon(store(THIS_PROCESS))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stop the processes of the former version");
        assertThat(view().tokens(GROUP)).isEmpty();
    }

    /** The read models' one handler: the processor's token is what this test looks at. */
    static final class Nothing {
        @org.axonframework.eventhandling.EventHandler
        void on(String event) {}
    }

    @Test
    void aStartAdoptsTheFormerTokensBeforeTheProcessorOfTheReadModelsStartsFromTheFirstEvent() {
        TokenStore store = store(THIS_PROCESS);
        store.initializeTokenSegments("standings", 1, new GlobalSequenceTrackingToken(70));
        org.axonframework.config.Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureEmbeddedEventStore(
                        c -> new org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine());
        configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(GROUP)
                .registerTokenStore(GROUP, config -> store)
                .registerTransactionManager(GROUP, config -> NoTransactionManager.INSTANCE)
                .registerEventHandler(config -> new Nothing())
                .byDefaultAssignTo(GROUP));
        tokens(1).configureModule(configurer);

        Configuration axon = configurer.start();
        try {
            assertThat(view().tokens(GROUP)).containsOnlyKeys(0);
            assertThat(view().tokens(GROUP).get(0).token()).isEqualTo(new GlobalSequenceTrackingToken(70));
            assertThat(view().tokens("standings")).isEmpty();
        } finally {
            axon.shutdown();
        }
    }

    /** As the service builds it: the segment count from Axon's property of the one processor, 1 without it. */
    private static ReadModelTokens tokens(int segments) {
        StandardEnvironment environment = new StandardEnvironment();
        if (segments != 1) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "test",
                            Map.of(
                                    "axon.eventhandling.processors." + GROUP + ".initial-segment-count",
                                    String.valueOf(segments))));
        }
        return new ReadModelTokens(environment);
    }

    private static Configuration axon(TokenStore store) {
        return DefaultConfigurer.defaultConfiguration(false)
                .eventProcessing(processing -> processing
                        .registerTokenStore(GROUP, config -> store)
                        .registerTransactionManager(GROUP, config -> NoTransactionManager.INSTANCE))
                .buildConfiguration();
    }
}
