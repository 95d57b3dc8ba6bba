package io.matchledger.api.web;

import io.matchledger.api.problems.ProblemType;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Notes which problem a request is answered with ({@link ProblemType#ANSWERED}), whichever handler built it, for the
 * {@code problem} tag of the HTTP server metrics. The refusals of the security filters note theirs where they write
 * them ({@code SecurityProblems}).
 */
@RestControllerAdvice
public class ProblemAnswers implements ResponseBodyAdvice<Object> {

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
        if (body instanceof ProblemDetail problem
                && problem.getType() != null
                && request instanceof ServletServerHttpRequest servlet) {
            servlet.getServletRequest()
                    .setAttribute(ProblemType.ANSWERED, problem.getType().toString());
        }
        return body;
    }
}
