package io.matchledger.api.positions;

/** The read model did not reach the position a reader asked for within the wait a read may take. */
public class NotYetVisible extends RuntimeException {

    public NotYetVisible(long position, String projection, long waitedMillis) {
        super("The " + projection + " read model has not reached position " + position + " after " + waitedMillis
                + " ms; ask again");
    }
}
