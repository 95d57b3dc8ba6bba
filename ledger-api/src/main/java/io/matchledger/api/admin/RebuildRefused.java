package io.matchledger.api.admin;

import io.matchledger.api.problems.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A rebuild that cannot start now: the projection is rebuilding already, or it cannot be reset at all. */
public class RebuildRefused extends ErrorResponseException {

    public RebuildRefused(String detail) {
        super(HttpStatus.CONFLICT, ProblemType.REBUILD_REFUSED.problem(detail), null);
    }
}
