package io.matchledger.api.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The settings of the ledger's domain module ({@link io.matchledger.core.LedgerModule}): {@code ledger.snapshot-threshold},
 * {@code ledger.shared-store} and {@code ledger.player-cache.*}.
 *
 * @param snapshotThreshold events of a player's ledger after which a snapshot is taken, so a load reads no more
 * @param sharedStore       whether other processes write the same event store (the PostgreSQL profiles), so that a
 *                          cached ledger may be stale and a command re-reads what it needs
 * @param playerCache       player ledgers kept in memory between commands
 */
@Validated
@ConfigurationProperties("ledger")
public record LedgerModuleSettings(
        @Positive @DefaultValue("250") int snapshotThreshold,
        @DefaultValue("false") boolean sharedStore,
        @NotNull @Valid @DefaultValue PlayerCache playerCache) {

    /**
     * {@code ledger.player-cache.*}.
     *
     * @param maximumSize player ledgers kept (the least used evicted first); a ledger is a few hundred bytes
     */
    public record PlayerCache(
            @PositiveOrZero @DefaultValue("100000") long maximumSize) {}
}
