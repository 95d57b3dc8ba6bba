package io.matchledger.api.admin;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import java.net.URI;

/** A rebuild that cannot start now: the projection is rebuilding already, or it cannot be reset at all. */
public class RebuildRefused extends ErrorResponseException {

    public RebuildRefused(String detail) {
        super(HttpStatus.CONFLICT, problem(detail), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setType(URI.create("/problems/rebuild-refused"));
        problem.setTitle("Rebuild refused");
        return problem;
    }
}
