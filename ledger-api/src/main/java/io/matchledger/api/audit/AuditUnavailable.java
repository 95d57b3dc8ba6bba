package io.matchledger.api.audit;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** The export and the verification read the JPA event tables; with events on Axon Server they are not built yet. */
public class AuditUnavailable extends ErrorResponseException {

    public AuditUnavailable() {
        super(HttpStatus.NOT_IMPLEMENTED, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.NOT_IMPLEMENTED, "This service keeps its events on Axon Server; the audit export and the "
                        + "verification read the JPA event store and are not available here.");
        problem.setType(URI.create("/problems/audit-unavailable"));
        problem.setTitle("Not available on this event store");
        return problem;
    }
}
