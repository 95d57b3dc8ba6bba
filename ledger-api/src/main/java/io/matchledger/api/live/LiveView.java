package io.matchledger.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.matchledger.projections.api.FindPlayerQuery;
import io.matchledger.projections.api.LeaderboardPage;
import io.matchledger.projections.api.LeaderboardQuery;
import io.matchledger.projections.api.PlayerView;
import io.matchledger.projections.api.SeasonLeaderboardQuery;
import io.matchledger.projections.api.SeasonPlayerQuery;
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

    /** {@code GET /api/players/{playerId}}, within a season when {@code seasonId} is not null. */
    record Player(String playerId, String seasonId) implements LiveView {

        @Override
        public Optional<PlayerView> read(QueryGateway queries) {
            Object query = seasonId == null ? new FindPlayerQuery(playerId) : new SeasonPlayerQuery(seasonId, playerId);
            return queries.query(query, ResponseTypes.optionalInstanceOf(PlayerView.class))
                    .join();
        }
    }

    /** {@code GET /api/leaderboard?limit=N}: the top N, within a season when {@code seasonId} is not null. */
    record Leaderboard(int limit, String seasonId) implements LiveView {

        @Override
        public Optional<LeaderboardPage> read(QueryGateway queries) {
            Object query =
                    seasonId == null ? new LeaderboardQuery(0, limit) : new SeasonLeaderboardQuery(seasonId, 0, limit);
            return Optional.of(queries.query(query, LeaderboardPage.class).join());
        }
    }
}
