package io.matchledger.projections.lifecycle;

/** A projection name that no processor of this service has. */
public class UnknownProjection extends RuntimeException {

    public UnknownProjection(String name) {
        super("projection " + name + " not found");
    }
}
