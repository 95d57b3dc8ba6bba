package io.matchledger.core.api;

import org.axonframework.common.AxonNonTransientException;

/**
 * A command the ledger refuses because of a domain rule. Non-transient: retrying the same command cannot succeed,
 * so no retry scheduler may try it again.
 */
public class LedgerRefusal extends AxonNonTransientException {

    public enum Reason {
        /** A player or match the command names does not exist. */
        NOT_FOUND,
        /** An idempotency key was used before with different content. */
        CONFLICT,
        /** The command is well-formed but breaks a rule, such as a total that would go below zero. */
        RULE_BROKEN,
        /** A player the command names was erased (ADR 0019): their id is retired. */
        ERASED
    }

    private final Reason reason;

    public LedgerRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static LedgerRefusal notFound(String message) {
        return new LedgerRefusal(Reason.NOT_FOUND, message);
    }

    public static LedgerRefusal conflict(String message) {
        return new LedgerRefusal(Reason.CONFLICT, message);
    }

    public static LedgerRefusal ruleBroken(String message) {
        return new LedgerRefusal(Reason.RULE_BROKEN, message);
    }

    public static LedgerRefusal erased(String playerId) {
        return new LedgerRefusal(
                Reason.ERASED,
                "player " + playerId
                        + " was erased: the id is retired, it cannot be registered, renamed or play again");
    }
}
