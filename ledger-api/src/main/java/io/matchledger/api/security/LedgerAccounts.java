package io.matchledger.api.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the ledger: {@code ledger.security.accounts}, from application.yml or the environment
 * ({@code LEDGER_SECURITY_ACCOUNTS_0_NAME}, {@code ..._PASSWORD_HASH}, {@code ..._ROLES}). Only hashes are configured,
 * never passwords; only the embedded default ships accounts of its own (the README's demo accounts).
 */
@Validated
@ConfigurationProperties(LedgerAccounts.PREFIX)
public record LedgerAccounts(List<@Valid Account> accounts) {

    public static final String PREFIX = "ledger.security";

    /** The encodings of Spring's DelegatingPasswordEncoder that are at least as strong as BCrypt. */
    private static final Pattern PASSWORD_HASH =
            Pattern.compile("\\{(bcrypt|argon2|scrypt|pbkdf2)(@SpringSecurity_v5_8)?}\\S+");

    public LedgerAccounts {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
    }

    /**
     * @param passwordHash a DelegatingPasswordEncoder hash such as {@code {bcrypt}$2a$10$...}; deliberately not
     *                     checked by a constraint, whose failure report would print the rejected value
     */
    public record Account(
            @NotBlank String name,
            @NotNull String passwordHash,
            @NotEmpty Set<@NotNull Role> roles) {

        /** Never the hash: records print every component, and accounts end up in log lines and failure reports. */
        @Override
        public String toString() {
            return name + " " + roles;
        }
    }

    /** Binds the accounts straight from the environment, for the check that runs before any bean exists. */
    static LedgerAccounts bind(Environment environment) {
        return Binder.get(environment).bindOrCreate(PREFIX, Bindable.of(LedgerAccounts.class));
    }

    /**
     * Refuses a configuration that would start a ledger nobody may use, or that holds something other than a strong
     * hash (a plain password pasted by mistake). The messages name the account, never the value.
     */
    void requireUsable(Environment environment) {
        if (accounts.isEmpty()) {
            String[] profiles = environment.getActiveProfiles().length > 0
                    ? environment.getActiveProfiles()
                    : environment.getDefaultProfiles();
            throw new IllegalStateException(
                    "No ledger accounts configured for profile(s) " + Arrays.toString(profiles) + ": set "
                            + PREFIX + ".accounts (name, password-hash, roles), for example "
                            + "LEDGER_SECURITY_ACCOUNTS_0_NAME, LEDGER_SECURITY_ACCOUNTS_0_PASSWORD_HASH={bcrypt}... and "
                            + "LEDGER_SECURITY_ACCOUNTS_0_ROLES=ADMIN. Only the embedded default (no profile) ships "
                            + "demo accounts.");
        }
        for (int i = 0; i < accounts.size(); i++) {
            Account account = accounts.get(i);
            if (account.passwordHash() == null
                    || !PASSWORD_HASH.matcher(account.passwordHash()).matches()) {
                throw new IllegalStateException(
                        PREFIX + ".accounts[" + i + "].password-hash of account '" + account.name()
                                + "' is not a password hash: give a {bcrypt} (or {argon2}, {scrypt}, {pbkdf2}) hash "
                                + "of the password, never the password itself.");
            }
        }
        long names = accounts.stream().map(Account::name).distinct().count();
        if (names < accounts.size()) {
            throw new IllegalStateException(PREFIX + ".accounts names an account more than once.");
        }
    }
}
