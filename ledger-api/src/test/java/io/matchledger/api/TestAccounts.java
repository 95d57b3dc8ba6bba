package io.matchledger.api;

/**
 * The accounts of the "test" profile (application-test.yml): password "&lt;name&gt;-test", hashed with BCrypt at
 * strength 4. Never the embedded default's demo accounts, so a test cannot pass by accident on a misconfigured service.
 * The players' account names are their playerIds; {@link #LUBIEN} and {@link #ENEMY} belong to the browser scenario,
 * which runs on a ledger of its own, and {@link #PLAYER} to the tests that share one.
 */
public enum TestAccounts {
    RECORDER,
    READER,
    AUDITOR,
    ADMIN,
    PLAYER,
    LUBIEN,
    ENEMY;

    public String user() {
        return name().toLowerCase();
    }

    public String password() {
        return user() + "-test";
    }

    public LedgerClient client(int port) {
        return new LedgerClient(port, user(), password());
    }
}
