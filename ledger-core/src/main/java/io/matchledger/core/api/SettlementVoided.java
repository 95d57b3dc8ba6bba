package io.matchledger.core.api;

import java.util.List;

/**
 * The void of a match, on the match's own stream: each player's reversal with their total right after it. The second
 * event of that stream, so the store's (stream, sequence) key also makes a void happen at most once.
 */
public record SettlementVoided(String matchId, String reason, List<Share> reversals) implements MatchStreamEvent {}
