package io.matchledger.core.api;

/**
 * The shapes the contract gives to identifiers and names. Constants, so that the web layer's Bean Validation
 * annotations and the domain's own checks use the very same rule.
 */
public final class LedgerRules {

    public static final String PLAYER_ID = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    public static final String MATCH_ID = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";
    /** The contract does not shape adjustment ids; they follow match ids, for the same log- and URL-safety. */
    public static final String ADJUSTMENT_ID = MATCH_ID;
    /** Season ids appear in URLs and in query parameters, beside the word {@code current}. */
    public static final String SEASON_ID = PLAYER_ID;
    /** What {@code season=current} means: the season whose window holds now. Never a season's id. */
    public static final String CURRENT_SEASON = "current";
    /** How far ahead of the ledger's clock a reported {@code occurredAt} may be: clocks differ, a little. */
    public static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(1);

    public static final int NAME_MAX = 100;
    /**
     * The name every read shows for a player whose personal data was erased (ADR 0019). A constant, not a setting:
     * a rebuild must give the rows the live model has.
     */
    public static final String ERASED_LABEL = "Erased player";

    public static final int REASON_MAX = 500;

    /**
     * A match is between two different players. The ledger refuses one against oneself as it refuses any broken rule,
     * 422 {@code /problems/rule-broken}; the web layer answers the same, only sooner and naming the field.
     */
    public static final String SELF_MATCH = "a player cannot play a match against themselves";

    private LedgerRules() {}

    /** A display name after trimming: 1 to {@value #NAME_MAX} characters, none of them a control character. */
    public static boolean isValidName(String name) {
        if (name == null) {
            return false;
        }
        String trimmed = name.strip();
        return !trimmed.isEmpty()
                && trimmed.length() <= NAME_MAX
                && trimmed.chars().noneMatch(Character::isISOControl);
    }

    /** A reason for a correction: required, at most {@value #REASON_MAX} characters, no control characters. */
    public static boolean isValidReason(String reason) {
        if (reason == null) {
            return false;
        }
        String trimmed = reason.strip();
        return !trimmed.isEmpty()
                && trimmed.length() <= REASON_MAX
                && trimmed.chars().noneMatch(Character::isISOControl);
    }
}
