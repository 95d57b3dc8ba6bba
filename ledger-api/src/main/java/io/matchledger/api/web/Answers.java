package io.matchledger.api.web;

import io.matchledger.api.problems.ProblemType;
import io.matchledger.api.security.Role;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an operation answers, for the OpenAPI document ({@link ApiDocument}): its stable id, its audience, the
 * lowest roles that may call it, its successes and the problems particular to it. What every operation of its kind
 * may answer is added there: 400 for a parameter or body, 401 and 403, 413 for a body, 503 for a write or a
 * {@code minPosition} read.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Answers {

    /** The {@code operationId}: a generated client's method name. */
    String id();

    Audience audience();

    /** The lowest roles that may call it (ADMIN &gt; AUDITOR &gt; READER, ADMIN &gt; RECORDER). */
    Role[] roles();

    /** 201 answers with a {@code Location}; the first status is the usual one. */
    int[] success() default 200;

    /** Whether a 201 carries a {@code Location} header. */
    boolean location() default false;

    ProblemType[] problems() default {};

    /** Whether it records something: it answers {@code Ledger-Position}, and 503 when the ledger cannot now. */
    boolean write() default false;

    enum Audience {
        GAME_SERVERS("game servers", "Register players and record matches; retries never count twice."),
        DASHBOARDS("dashboards", "Read the projections: standings, leaderboard, histories, live streams."),
        AUDITORS("auditors", "Trace every point to its event, export the events, verify the read model."),
        OPERATORS("operators", "Corrections (voids, adjustments), erasures and the projections' lifecycle."),
        PLAYERS("players", "A player on the web declares their own losses and draws.");

        private final String tag;
        private final String description;

        Audience(String tag, String description) {
            this.tag = tag;
            this.description = description;
        }

        public String tag() {
            return tag;
        }

        public String description() {
            return description;
        }
    }
}
