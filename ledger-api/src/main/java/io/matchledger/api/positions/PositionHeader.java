package io.matchledger.api.positions;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Puts a write's position on its answer as {@value #HEADER}, for the writes that asked for it
 * ({@link WritePositions#ofThisRequest()}): read with {@code minPosition} set to it, a read model shows the write.
 */
@ControllerAdvice
public class PositionHeader implements ResponseBodyAdvice<Object> {

    public static final String HEADER = "Ledger-Position";

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        if (request instanceof ServletServerHttpRequest servlet
                && servlet.getServletRequest().getAttribute(WritePositions.ATTRIBUTE) instanceof Long position) {
            response.getHeaders().set(HEADER, Long.toString(position));
        }
        return body;
    }
}
