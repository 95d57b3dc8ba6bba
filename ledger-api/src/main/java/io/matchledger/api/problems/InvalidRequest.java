package io.matchledger.api.problems;

import java.util.List;

/** A request whose fields are each fine but which does not fit together; answered as a validation problem. */
public class InvalidRequest extends RuntimeException {

    private final List<FieldProblem> errors;

    public InvalidRequest(String field, String message) {
        super(field + ": " + message);
        this.errors = List.of(new FieldProblem(field, message));
    }

    public InvalidRequest(List<FieldProblem> errors) {
        super(errors.toString());
        this.errors = List.copyOf(errors);
    }

    public List<FieldProblem> errors() {
        return errors;
    }
}
