package io.matchledger.core.api;

/**
 * What a match's own stream (the {@code Match} key stream, one per match id) records: the match settled with both
 * players' shares ({@link MatchSettled}: what makes a retry with the same id idempotent and a reuse with other content
 * a conflict), and at most once its reversal ({@link SettlementVoided}). Each has a twin on each player's ledger
 * ({@link PlayerLedgerEvent}), appended in the same unit of work.
 */
public sealed interface MatchStreamEvent permits MatchSettled, SettlementVoided {

    String matchId();
}
