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

    public static final int NAME_MAX = 100;
    public static final int REASON_MAX = 500;

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
