package io.matchledger.api.problems;

import java.util.List;

/**
 * A request whose fields are each fine but which does not fit together; answered as a validation problem (400), or,
 * when it breaks a ledger rule the web layer sees before the ledger does ({@link #ruleBroken}), as the ledger would
 * answer it (422), only naming the field.
 */
public class InvalidRequest extends RuntimeException {

    private final ProblemType type;
    private final List<FieldProblem> errors;

    public InvalidRequest(String field, String message) {
        this(ProblemType.VALIDATION, List.of(new FieldProblem(field, message)));
    }

    public InvalidRequest(List<FieldProblem> errors) {
        this(ProblemType.VALIDATION, errors);
    }

    private InvalidRequest(ProblemType type, List<FieldProblem> errors) {
        super(errors.toString());
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    /** A ledger rule ({@code LedgerRules}) the request breaks in {@code field}: 422, as the ledger answers it. */
    public static InvalidRequest ruleBroken(String field, String message) {
        return new InvalidRequest(ProblemType.RULE_BROKEN, List.of(new FieldProblem(field, message)));
    }

    /** {@link ProblemType#VALIDATION} or {@link ProblemType#RULE_BROKEN}. */
    public ProblemType type() {
        return type;
    }

    public List<FieldProblem> errors() {
        return errors;
    }
}
