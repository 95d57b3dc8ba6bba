package io.matchledger.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.PlayerView;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;

/** A view that clients watch live, read exactly as its GET endpoint reads it, so that both answer the same JSON. */
sealed interface LiveView {

    /** The view as the read model has it now; empty while the read model does not know it. */
    Optional<?> read(QueryGateway queries);

    /** {@link #read}, as the JSON a client is sent. */
    default Optional<String> render(QueryGateway queries, ObjectMapper json) {
        return read(queries).map(state -> {
            try {
                return json.writeValueAsString(state);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** {@code GET /api/players/{playerId}}. */
    record Player(String playerId) implements LiveView {

        @Override
        public Optional<PlayerView> read(QueryGateway queries) {
            return queries.query(new FindPlayerQuery(playerId), ResponseTypes.optionalInstanceOf(PlayerView.class))
                    .join();
        }
    }

    /** {@code GET /api/leaderboard?limit=N}: the top N. */
    record Leaderboard(int limit) implements LiveView {

        @Override
        public Optional<LeaderboardPage> read(QueryGateway queries) {
            return Optional.of(queries.query(new LeaderboardQuery(0, limit), LeaderboardPage.class)
                    .join());
        }
    }
}
