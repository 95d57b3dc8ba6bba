package io.matchledger.api.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.matchledger.projections.lifecycle.TokenStoreView;
import java.util.Set;
import java.util.UUID;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The progress mark against tokens as Axon's own token store writes them (for a processor of the test's own, so
 * that the real ones are left alone): a stored token that moved is a new mark, one that did not is the same mark, and
 * a replay is recognised as one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class StandingsProgressTest {

    @Autowired
    TokenStore tokens;

    @Autowired
    TransactionManager transactions;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TokenStoreView view;

    final String processor = "progress-test-" + UUID.randomUUID();

    @AfterEach
    void forgetTheProcessor() {
        jdbc.update("delete from token_entry where processor_name = ?", processor);
    }

    @Test
    void aMarkMovesWithTheStoredTokenAndKnowsAReplay() {
        StandingsProgress progress = new StandingsProgress(view, () -> processor);
        transactions.executeInTransaction(() -> tokens.initializeTokenSegments(processor, 1));
        StandingsProgress.Mark initial = progress.read();

        store(GapAwareTrackingToken.newInstance(5, Set.of()));
        StandingsProgress.Mark atFive = progress.read();
        assertThat(atFive).isNotEqualTo(initial).isEqualTo(progress.read());
        assertThat(atFive.replaying()).isFalse();

        store(GapAwareTrackingToken.newInstance(5, Set.of()));
        assertThat(progress.read()).as("stored again, not moved").isEqualTo(atFive);

        store(ReplayToken.createReplayToken(
                GapAwareTrackingToken.newInstance(5, Set.of()), GapAwareTrackingToken.newInstance(1, Set.of())));
        assertThat(progress.read().replaying()).isTrue();

        store(GapAwareTrackingToken.newInstance(6, Set.of()));
        StandingsProgress.Mark atSix = progress.read();
        assertThat(atSix.replaying()).isFalse();
        assertThat(atSix).isNotEqualTo(atFive);
    }

    private void store(TrackingToken token) {
        transactions.executeInTransaction(() -> {
            tokens.fetchToken(processor, 0); // claims the segment, as a processor does before it stores
            tokens.storeToken(token, processor, 0);
        });
    }
}
