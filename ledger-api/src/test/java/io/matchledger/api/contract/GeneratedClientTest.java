package io.matchledger.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.matchledger.api.TestAccounts;
import io.matchledger.client.ApiClient;
import io.matchledger.client.ApiException;
import io.matchledger.client.ApiResponse;
import io.matchledger.client.api.DashboardsApi;
import io.matchledger.client.api.GameServersApi;
import io.matchledger.client.api.OperatorsApi;
import io.matchledger.client.model.AdjustPointsRequest;
import io.matchledger.client.model.MatchResponse;
import io.matchledger.client.model.PlayerView;
import io.matchledger.client.model.Problem;
import io.matchledger.client.model.RecordMatchRequest;
import io.matchledger.client.model.RegisterPlayerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The contract's two-window scenario, played by a Java client that openapi-generator generated from the committed
 * document at build time, as a game-server team would: if the document lied about a status or a body, this client
 * would not get through it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class GeneratedClientTest {

    @LocalServerPort
    int port;

    @Test
    void theTwoWindowScenarioThroughTheGeneratedClient() throws Exception {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + port);
        String credentials = TestAccounts.ADMIN.user() + ":" + TestAccounts.ADMIN.password();
        client.setRequestInterceptor(request -> request.header(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
        GameServersApi games = new GameServersApi(client);
        OperatorsApi operators = new OperatorsApi(client);
        DashboardsApi dashboards = new DashboardsApi(client);

        assertThat(games.registerPlayerWithHttpInfo("gen-lubien", new RegisterPlayerRequest().name("Lubien"), null)
                        .getStatusCode())
                .isEqualTo(201);
        assertThat(games.registerPlayerWithHttpInfo("gen-enemy", new RegisterPlayerRequest().name("Enemy"), null)
                        .getStatusCode())
                .isEqualTo(201);
        operators.adjustPoints(
                "gen-lubien",
                new AdjustPointsRequest()
                        .adjustmentId("gen-open-lubien")
                        .points(104)
                        .reason("opening balance"),
                null);
        operators.adjustPoints(
                "gen-enemy",
                new AdjustPointsRequest()
                        .adjustmentId("gen-open-enemy")
                        .points(72)
                        .reason("opening balance"),
                null);

        // Window A: ten losses to Enemy.
        for (int i = 1; i <= 10; i++) {
            ApiResponse<MatchResponse> loss = games.recordMatchWithHttpInfo(
                    new RecordMatchRequest()
                            .matchId("gen-loss-" + i)
                            .winner("gen-enemy")
                            .loser("gen-lubien"),
                    null);
            assertThat(loss.getStatusCode()).isEqualTo(201);
            assertThat(loss.getHeaders().get("location")).containsExactly("/api/matches/gen-loss-" + i);
        }
        // Window B, stale, declares a draw: it sends no totals, and the ledger's are 105 and 103.
        RecordMatchRequest draw =
                new RecordMatchRequest().matchId("gen-draw-1").draw(List.of("gen-enemy", "gen-lubien"));
        ApiResponse<MatchResponse> drawn = games.recordMatchWithHttpInfo(draw, null);
        assertThat(drawn.getStatusCode()).isEqualTo(201);
        assertThat(totalOf(drawn.getData(), "gen-lubien")).isEqualTo(105);
        assertThat(totalOf(drawn.getData(), "gen-enemy")).isEqualTo(103);

        // The identical retry: 200, the same answer.
        ApiResponse<MatchResponse> retry = games.recordMatchWithHttpInfo(draw, "gen-retry-1");
        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(totalOf(retry.getData(), "gen-enemy")).isEqualTo(103);

        // The conflicting retry: the same matchId for another result, read as a typed problem.
        ApiException conflict = catchThrowableOfType(
                ApiException.class,
                () -> games.recordMatch(
                        new RecordMatchRequest()
                                .matchId("gen-draw-1")
                                .winner("gen-lubien")
                                .loser("gen-enemy"),
                        null));
        assertThat(conflict.getCode()).isEqualTo(409);
        Problem problem = client.getObjectMapper().readValue(conflict.getResponseBody(), Problem.class);
        assertThat(problem.getType()).isEqualTo(Problem.TypeEnum._PROBLEMS_CONFLICT);
        assertThat(problem.getStatus()).isEqualTo(409);

        // Read your own write: the next read, at the draw's position, shows it.
        PlayerView enemy =
                dashboards.getPlayer("gen-enemy", null, null, drawn.getData().getPosition());
        assertThat(enemy.getPoints()).isEqualTo(103);
        assertThat(enemy.getWins()).isEqualTo(10);
        assertThat(enemy.getDraws()).isEqualTo(1);
        PlayerView lubien =
                dashboards.getPlayer("gen-lubien", null, null, drawn.getData().getPosition());
        assertThat(lubien.getPoints()).isEqualTo(105);
        assertThat(lubien.getRank()).isLessThan(enemy.getRank());
    }

    private static long totalOf(MatchResponse match, String playerId) {
        return match.getPlayers().stream()
                .filter(share -> share.getPlayerId().equals(playerId))
                .findFirst()
                .orElseThrow()
                .getTotal();
    }
}
