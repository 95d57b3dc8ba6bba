package io.matchledger.projections.lifecycle;

import io.matchledger.projections.ReadModels;
import java.util.List;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.lifecycle.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * A ledger kept by the former processors (one per read model: {@code standings}, {@code matches}, {@code history})
 * goes on with the one processor ({@link ReadModels#PROCESSING_GROUP}) without a rebuild. Before any processor
 * starts, when the one has no token yet and the former have, it takes the lowest of their tokens (the point every
 * former processor had reached, its gaps included) for each of its segments, and the former tokens go. The events
 * between that point and a former processor's own token come again to the read models that had them: each skips
 * them by its own rule (a player's last sequence, a known match id), so nothing counts twice.
 */
@Component
public class ReadModelTokens implements ConfigurerModule {

    private static final Logger log = LoggerFactory.getLogger(ReadModelTokens.class);
    static final List<String> FORMER = List.of("standings", "matches", "history");
    static final List<String> FORMER_REBUILDS = List.of("standings_rebuild", "matches_rebuild", "history_rebuild");

    private final int segments;

    public ReadModelTokens(Environment environment) {
        this.segments = environment.getProperty(
                "axon.eventhandling.processors." + ReadModels.PROCESSING_GROUP + ".initial-segment-count",
                Integer.class,
                1);
    }

    @Override
    public void configureModule(Configurer configurer) {
        configurer.onInitialize(
                config -> config.onStart(Phase.INBOUND_EVENT_CONNECTORS - 1, () -> adoptFormerTokens(config)));
    }

    void adoptFormerTokens(Configuration config) {
        TokenStore store = config.eventProcessingConfiguration().tokenStore(ReadModels.PROCESSING_GROUP);
        try {
            config.eventProcessingConfiguration()
                    .transactionManager(ReadModels.PROCESSING_GROUP)
                    .executeInTransaction(() -> adopt(store));
        } catch (UnableToClaimTokenException claimedElsewhere) {
            throw new IllegalStateException(
                    "The former read-model processors are running in another process: stop the processes of the "
                            + "former version, then start this one",
                    claimedElsewhere);
        }
    }

    private void adopt(TokenStore store) {
        if (store.fetchSegments(ReadModels.PROCESSING_GROUP).length > 0) {
            return;
        }
        boolean found = false;
        TrackingToken lowest = null;
        for (String former : FORMER) {
            for (int segment : store.fetchSegments(former)) {
                TrackingToken token = WrappedToken.unwrapLowerBound(store.fetchToken(former, segment));
                lowest = !found ? token : lowest == null || token == null ? null : lowest.lowerBound(token);
                found = true;
                store.deleteToken(former, segment);
            }
        }
        for (String rebuild : FORMER_REBUILDS) {
            for (int segment : store.fetchSegments(rebuild)) {
                store.fetchToken(rebuild, segment);
                store.deleteToken(rebuild, segment);
            }
        }
        if (found) {
            store.initializeTokenSegments(ReadModels.PROCESSING_GROUP, segments, lowest);
            log.info(
                    "The read models go on from the former processors' lowest position, {}, in {} segment(s)",
                    lowest == null ? "the first event" : lowest.position().orElse(0),
                    segments);
        }
    }
}
