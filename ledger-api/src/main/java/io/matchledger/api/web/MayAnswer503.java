package io.matchledger.api.web;

import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * Marks a write operation whose description says it may answer {@code 503} with {@code Retry-After}
 * ({@link ProblemResponses}). Added to the generated description rather than declared with springdoc's
 * {@code @ApiResponse}, which would replace the responses springdoc derives from the method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MayAnswer503 {

    @Configuration(proxyBeanMethods = false)
    class Documentation {

        @Bean
        OperationCustomizer serviceUnavailableResponse() {
            return (operation, handler) -> {
                if (handler.hasMethodAnnotation(MayAnswer503.class)) {
                    if (operation.getResponses() == null) {
                        operation.setResponses(new ApiResponses());
                    }
                    operation.getResponses().addApiResponse("503", response());
                }
                return operation;
            };
        }

        private static ApiResponse response() {
            return new ApiResponse()
                    .description(ProblemResponses.SERVICE_UNAVAILABLE_DESCRIPTION)
                    .addHeaderObject("Retry-After", new Header()
                            .description("Seconds to wait before sending the same request again")
                            .schema(new IntegerSchema()))
                    .content(new Content().addMediaType("application/problem+json", new MediaType().schema(
                            new ObjectSchema().description("RFC 9457 problem details")
                                              .addProperty("type", new StringSchema()
                                                      ._enum(List.of("/problems/contention", "/problems/unavailable",
                                                                     "/problems/busy")))
                                              .addProperty("title", new StringSchema())
                                              .addProperty("status", new IntegerSchema()._default(503))
                                              .addProperty("detail", new StringSchema())
                                              .addProperty("instance", new StringSchema()))));
        }
    }
}
