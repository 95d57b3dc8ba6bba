package io.matchledger.core.api;

/**
 * The answer to one match of a {@link RecordMatchesCommand}: its settlement, or the refusal that a
 * {@link RecordMatchCommand} alone would have met. Plain fields rather than an exception, so that it crosses a bus.
 */
public record MatchAnswer(MatchSettlement settlement, LedgerRefusal.Reason refusal, String message) {

    public static MatchAnswer recorded(MatchSettlement settlement) {
        return new MatchAnswer(settlement, null, null);
    }

    public static MatchAnswer refused(LedgerRefusal refusal) {
        return new MatchAnswer(null, refusal.reason(), refusal.getMessage());
    }

    /** The settlement, or the refusal thrown as the single command would have thrown it. */
    public MatchSettlement orThrow() {
        if (settlement == null) {
            throw new LedgerRefusal(refusal, message);
        }
        return settlement;
    }
}
