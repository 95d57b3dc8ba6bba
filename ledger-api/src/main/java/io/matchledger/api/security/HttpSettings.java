package io.matchledger.api.security;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ledger.http.*}: what the service accepts over HTTP.
 *
 * @param maxBodyBytes the largest request body accepted ({@link BodySizeLimit}); the API's JSON bodies are a few
 *                     hundred bytes, and anything far larger is refused with 413 before it is parsed or authenticated
 */
@Validated
@ConfigurationProperties("ledger.http")
public record HttpSettings(@Positive @DefaultValue("65536") long maxBodyBytes) {}
