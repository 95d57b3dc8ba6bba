package io.matchledger.api.positions;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a read operation that answers from a projection, named by its processing group: it takes
 * {@code minPosition} and waits, a bounded time, until that projection has reached it ({@link MinPosition}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ReadModel {

    /** The processing groups of the projections the operation reads: a season-scoped read reads two. */
    String[] value();
}
