package io.matchledger.core;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A failure's cause chain, walked in one place. Failures arrive wrapped by whoever was in between (the command bus,
 * Axon's event store as {@code EventStoreException}, its token store as {@code JdbcException}, Spring's transaction
 * manager, a future's {@code ExecutionException}), so what a failure means is decided by what lies anywhere in its
 * chain. A cause met again (a cycle) ends the walk.
 */
public final class Causes {

    private Causes() {}

    /** The failure and its causes, outermost first. */
    public static Stream<Throwable> of(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return Stream.iterate(failure, cause -> cause != null && seen.add(cause), Throwable::getCause);
    }

    /** Whether the failure or any of its causes passes {@code test}. */
    public static boolean any(Throwable failure, Predicate<? super Throwable> test) {
        return of(failure).anyMatch(test);
    }

    /** The outermost of the failure and its causes that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return of(failure).filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The innermost cause: the failure itself when it has none. */
    public static Throwable root(Throwable failure) {
        return of(failure).reduce((outer, inner) -> inner).orElse(failure);
    }
}
