package io.matchledger.core.api;

/**
 * The ledger did not decide a write in time: its database answered too slowly, or not at all. Unlike {@link
 * LedgerBusy}, the write may have been recorded (or may still be, when the database answers late); sending the same
 * request again is safe, as every write is idempotent by its key, and tells which.
 */
public class LedgerTimeout extends RuntimeException {

    public LedgerTimeout(String message) {
        super(message);
    }
}
