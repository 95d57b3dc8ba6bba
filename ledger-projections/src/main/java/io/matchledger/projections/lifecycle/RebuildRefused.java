package io.matchledger.projections.lifecycle;

/** A rebuild that cannot start now: the projection is rebuilding already, or another process holds its processor. */
public class RebuildRefused extends RuntimeException {

    public RebuildRefused(String reason) {
        super(reason);
    }
}
