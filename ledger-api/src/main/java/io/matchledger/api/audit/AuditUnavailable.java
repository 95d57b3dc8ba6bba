package io.matchledger.api.audit;

import io.matchledger.api.problems.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The export and the verification read the JPA event tables; with events on Axon Server they are not built yet. */
public class AuditUnavailable extends ErrorResponseException {

    public AuditUnavailable() {
        super(
                HttpStatus.NOT_IMPLEMENTED,
                ProblemType.AUDIT_UNAVAILABLE.problem(
                        "This service keeps its events on Axon Server; the audit export and the verification read the JPA "
                                + "event store and are not available here."),
                null);
    }
}
