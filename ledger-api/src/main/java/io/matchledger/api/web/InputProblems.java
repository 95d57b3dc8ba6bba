package io.matchledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.matchledger.api.problems.FieldProblem;
import io.matchledger.api.problems.ProblemType;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * What Spring MVC finds wrong with a request before a handler runs: a body that is not JSON or not the expected
 * shape, a field or parameter that breaks its rule, a path or method that does not exist. Each is a problem from the
 * catalogue naming the field and the reason. Asked before {@link ProblemResponses}, whose catch-all would otherwise
 * take them.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class InputProblems extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getAllErrors().stream()
                .map(error -> new FieldProblem(
                        error instanceof FieldError field ? field.getField() : error.getObjectName(),
                        error.getDefaultMessage()))
                .toList();
        return ResponseEntity.badRequest().body(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // A body validated together with path variables arrives as ParameterErrors: name its fields, not "request".
        List<FieldProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body
                        ? body.getFieldErrors().stream()
                                .map(error -> new FieldProblem(error.getField(), message(error)))
                        : result.getResolvableErrors().stream()
                                .map(error -> new FieldProblem(
                                        result.getMethodParameter().getParameterName(), message(error))))
                .toList();
        return ResponseEntity.badRequest().body(validationProblem(errors));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name =
                ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName() : ex.getPropertyName();
        String expected = ex.getRequiredType() == null
                ? "of another type"
                : Number.class.isAssignableFrom(
                                org.springframework.util.ClassUtils.resolvePrimitiveIfNecessary(ex.getRequiredType()))
                        ? "a whole number"
                        : "a " + ex.getRequiredType().getSimpleName();
        return ResponseEntity.badRequest()
                .body(validationProblem(List.of(new FieldProblem(name, "must be " + expected))));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        return ResponseEntity.badRequest()
                .body(validationProblem(List.of(new FieldProblem(ex.getParameterName(), "is required"))));
    }

    /** What Spring answers by itself (an unknown path, a wrong method) gets a catalogued type, not about:blank. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null
                        || "about:blank".equals(problem.getType().toString()))) {
            ProblemType type = ProblemType.generic(statusCode.value());
            problem.setType(type.type());
            problem.setTitle(type.title());
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // The most specific cause may be below Jackson (a DateTimeParseException); the Jackson one knows the field.
        Throwable cause = ProblemResponses.causeOfType(ex, JsonProcessingException.class)
                .map(Throwable.class::cast)
                .orElse(ex.getMostSpecificCause());
        ProblemDetail problem;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            problem = validationProblem(List.of(new FieldProblem(path(unknown), "unknown field")));
        } else if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            JsonMappingException mapping = (JsonMappingException) cause;
            String field = path(mapping);
            problem = validationProblem(
                    List.of(new FieldProblem(field.isEmpty() ? "body" : field, "has the wrong type or shape")));
        } else if (cause instanceof JsonProcessingException json) {
            problem = ProblemType.MALFORMED_JSON.problem("The body is not valid JSON: " + json.getOriginalMessage());
        } else {
            problem = ProblemType.MALFORMED_JSON.problem("The body is missing or is not valid JSON.");
        }
        return ResponseEntity.badRequest().body(problem);
    }

    static ProblemDetail validationProblem(List<FieldProblem> errors) {
        return validationProblem(ProblemType.VALIDATION, errors);
    }

    /** A problem of {@code type} that names each field and what is wrong with it. */
    static ProblemDetail validationProblem(ProblemType type, List<FieldProblem> errors) {
        ProblemDetail problem = type.problem(
                errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        problem.setProperty("errors", errors);
        return problem;
    }

    private static String path(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }
}
