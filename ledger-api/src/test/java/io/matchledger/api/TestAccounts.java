package io.matchledger.api;

/**
 * The accounts of the "test" profile (application-test.yml): password "&lt;name&gt;-test", hashed with BCrypt at
 * strength 4. Never the embedded default's demo accounts, so a test cannot pass by accident on a misconfigured service.
 */
public enum TestAccounts {
    RECORDER,
    READER,
    AUDITOR,
    ADMIN;

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
