package io.matchledger.api.config;

import org.axonframework.common.AxonTransientException;

/**
 * An append refused because its events were made longer ago than the append bound: the process stood still between
 * deciding and appending (a long pause, a frozen container). Nothing was written; the command decides again.
 */
public class StaleAppend extends AxonTransientException {

    public StaleAppend(String message) {
        super(message);
    }
}
