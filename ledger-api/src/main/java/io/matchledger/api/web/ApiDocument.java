package io.matchledger.api.web;

import io.matchledger.api.positions.MinPosition;
import io.matchledger.api.positions.ReadModel;
import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.RequestIdentity;
import io.matchledger.api.security.Role;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The served OpenAPI document as the contract: each operation's answers come from its {@link Answers} and the
 * {@link ProblemType} catalogue, not from springdoc's guesses (which list 200 for everything, and every exception
 * handler's status on every operation). Committed as {@code docs/openapi.json}; {@code ApiDocumentTest} fails when
 * the served one drifts from it.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocument {

    static final String PROBLEM = "Problem";
    /** The one security scheme: HTTP Basic. */
    private static final String BASIC = "basic";

    static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    OperationCustomizer answersFromTheContract(MinPosition minPosition) {
        return (operation, handler) -> {
            Answers answers = handler.getMethodAnnotation(Answers.class);
            if (answers == null) {
                return operation;
            }
            operation.setOperationId(answers.id());
            operation.setTags(List.of(answers.audience().tag()));
            operation.setSecurity(List.of(new SecurityRequirement().addList(BASIC)));
            operation.addExtension(
                    "x-roles", Arrays.stream(answers.roles()).map(Role::name).toList());
            String described = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
            operation.setDescription(described + "Roles: " + roles(answers.roles()) + ".");
            operation.addParametersItem(new Parameter()
                    .in("header")
                    .name(RequestIdentity.HEADER)
                    .required(false)
                    .description("Your id for this request (letters, digits, "
                            + "`._:-`, up to 128): echoed back and recorded on "
                            + "every event it appends. A new one when absent.")
                    .schema(new StringSchema().pattern("^" + RequestIdentity.FORMAT + "$")));
            boolean readModel = handler.hasMethodAnnotation(ReadModel.class);
            if (readModel) {
                operation.addParametersItem(new Parameter()
                        .in("query")
                        .name(MinPosition.PARAMETER)
                        .required(false)
                        .description("Answer only once the read model has reached this position (a write's "
                                + "Ledger-Position): read your own writes. Waits up to "
                                + minPosition.maxWait().toMillis() + " ms (ledger.read-your-writes.max-wait), "
                                + "then 503 /problems/not-yet-visible.")
                        .schema(new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ZERO)));
            }
            operation.setResponses(OperationResponses.of(operation, answers, readModel));
            ApiExamples.addTo(operation);
            return operation;
        };
    }

    private static String roles(Role[] roles) {
        List<String> names = new ArrayList<>();
        for (Role role : roles) {
            names.add(
                    switch (role) {
                        case READER -> "READER (AUDITOR and ADMIN include it)";
                        case AUDITOR -> "AUDITOR (ADMIN includes it)";
                        case RECORDER -> "RECORDER (ADMIN includes it)";
                        case ADMIN -> "ADMIN";
                        case PLAYER -> "PLAYER (the account is the player)";
                    });
        }
        return String.join(" or ", names);
    }

    /** The service and the version it implements, how to authenticate, the problem schema, one tag per audience. */
    @Bean
    OpenApiCustomizer serviceProblemsAndAudiences() {
        return api -> {
            api.setInfo(new Info()
                    .title("Match Ledger")
                    .version("v1")
                    .description("Points of players in a ranked game, kept as an event-sourced ledger: every point is "
                            + "traceable to the match or adjustment that produced it."));
            if (api.getComponents() == null) {
                api.setComponents(new Components());
            }
            api.getComponents()
                    .addSecuritySchemes(
                            BASIC,
                            new SecurityScheme()
                                    .type(SecurityScheme.Type.HTTP)
                                    .scheme("basic")
                                    .description("An account of the ledger with role RECORDER, READER, AUDITOR or "
                                            + "ADMIN (ADMIN > AUDITOR > READER, ADMIN > RECORDER), or PLAYER for "
                                            + "/api/me/matches."));
            api.addSecurityItem(new SecurityRequirement().addList(BASIC));
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            if (api.getComponents().getSchemas() != null) {
                api.getComponents().getSchemas().keySet().removeAll(List.of("SseEmitter", "StreamingResponseBody"));
            }
            // Relative, as every deployment serves it: the committed document does not depend on a host or port.
            api.setServers(List.of(new Server().url("/").description("The service that serves this document")));
            api.setTags(Arrays.stream(Answers.Audience.values())
                    .map(audience -> new Tag().name(audience.tag()).description(audience.description()))
                    .toList());
        };
    }

    private static Schema<?> problemSchema() {
        Schema<?> fieldProblem = new ObjectSchema()
                .addProperty("field", new StringSchema().description("The field or parameter, as sent"))
                .addProperty("message", new StringSchema().description("What is wrong with it"));
        fieldProblem.setRequired(List.of("field", "message"));
        Schema<?> problem = new ObjectSchema()
                .description("RFC 9457 problem details. `type` says what happened:\n\n"
                        + Arrays.stream(ProblemType.values())
                                .map(type -> "- `" + type.type() + "` (" + type.status() + ", " + type.title() + "): "
                                        + type.meaning())
                                .collect(Collectors.joining("\n")))
                .addProperty(
                        "type",
                        new StringSchema()
                                .format("uri-reference")
                                ._enum(Arrays.stream(ProblemType.values())
                                        .map(type -> type.type().toString())
                                        .toList()))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty(
                        ProblemType.TRACE_ID,
                        new StringSchema()
                                .pattern("^[0-9a-f]{32}$")
                                .description("The W3C trace id of the request: its spans and log lines carry it"))
                .addProperty(
                        "errors",
                        new ArraySchema()
                                .items(fieldProblem)
                                .description("For /problems/validation: each field and why"));
        problem.setRequired(List.of("type", "title", "status"));
        return problem;
    }
}
