package io.matchledger.api.problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** A player or match the read model does not know (yet). */
public class NotFound extends ErrorResponseException {

    public NotFound(String what) {
        super(HttpStatus.NOT_FOUND, ProblemType.NOT_FOUND.problem(what + " not found"), null);
    }
}
