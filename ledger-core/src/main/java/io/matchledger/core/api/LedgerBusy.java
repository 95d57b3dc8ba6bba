package io.matchledger.core.api;

/**
 * The ledger has more work queued than it takes on: nothing of the refused request was recorded, and the same request
 * may be sent again later.
 */
public class LedgerBusy extends RuntimeException {

    public LedgerBusy(String message) {
        super(message);
    }
}
