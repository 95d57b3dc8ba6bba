package io.matchledger.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.matchledger.api.LedgerClient;
import io.matchledger.api.problems.ProblemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The served OpenAPI document is the committed one ({@code docs/openapi.json}), and says what a client needs: an id,
 * an audience, roles and every answer of every operation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ApiDocumentTest {

    /** Where the committed document is, from the module's directory (where Maven runs the tests). */
    static final Path COMMITTED = Path.of("..", "docs", "openapi.json");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @LocalServerPort
    int port;

    @Test
    void theServedDocumentIsTheCommittedOne() throws IOException {
        JsonNode served = served();
        String servedText = canonical(served);
        Path written = Path.of("target", "openapi.json");
        Files.writeString(written, servedText);
        assertThat(Files.exists(COMMITTED)).as("docs/openapi.json is committed").isTrue();
        assertThat(servedText)
                .as(
                        "the served /v3/api-docs differs from docs/openapi.json: when the change is meant, copy %s "
                                + "there and commit it with the change",
                        written.toAbsolutePath())
                .isEqualTo(canonical(JSON.readTree(Files.readString(COMMITTED))));
    }

    @Test
    void everyOperationHasAnIdAnAudienceRolesAndItsAnswers() {
        JsonNode paths = served().get("paths");
        List<String> ids = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> path = paths.fields(); path.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = path.next();
            for (Iterator<Map.Entry<String, JsonNode>> method = entry.getValue().fields(); method.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = method.next();
                String name = operation.getKey() + " " + entry.getKey();
                JsonNode op = operation.getValue();
                assertThat(op.path("operationId").asText()).as(name).matches("[a-z][A-Za-z]+");
                ids.add(op.path("operationId").asText());
                assertThat(op.path("tags")).as(name).hasSize(1);
                assertThat(op.path("x-roles")).as(name).isNotEmpty();
                assertThat(op.path("security").get(0).has("basic")).as(name).isTrue();
                JsonNode responses = op.path("responses");
                assertThat(responses.has("401") && responses.has("403"))
                        .as(name)
                        .isTrue();
                assertThat(responses.path("503").path("headers").has("Retry-After"))
                        .as(name)
                        .isTrue();
                responses.fields().forEachRemaining(response -> {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        assertThat(response.getValue()
                                        .at("/content/application~1problem+json/schema/$ref")
                                        .asText())
                                .as(name + " " + response.getKey())
                                .isEqualTo("#/components/schemas/Problem");
                    }
                });
                assertThat(responses.fieldNames()).toIterable().as(name).doesNotContain("500");
            }
        }
        assertThat(ids).doesNotHaveDuplicates();
        JsonNode types = served().at("/components/schemas/Problem/properties/type/enum");
        for (ProblemType type : ProblemType.values()) {
            assertThat(types.toString()).contains("\"" + type.type() + "\"");
        }
    }

    @Test
    void aNewMatchIsA201WithLocationAndPositionAndARefusalATypedProblem() {
        JsonNode record = served().at("/paths/~1api~1matches/post/responses");
        assertThat(record.at("/201/headers").has("Location")).isTrue();
        assertThat(record.at("/201/headers").has("Ledger-Position")).isTrue();
        assertThat(record.fieldNames())
                .toIterable()
                .contains("200", "201", "400", "401", "403", "404", "409", "413", "422", "503");
        JsonNode read = served().at("/paths/~1api~1players~1{playerId}/get/parameters");
        assertThat(read.toString()).contains("\"minPosition\"", "\"X-Request-Id\"");
    }

    private JsonNode served() {
        return LedgerClient.anonymous(port).get("/v3/api-docs").json();
    }

    static String canonical(JsonNode document) throws IOException {
        return JSON.writeValueAsString(JSON.treeToValue(document, Object.class)) + "\n";
    }
}
