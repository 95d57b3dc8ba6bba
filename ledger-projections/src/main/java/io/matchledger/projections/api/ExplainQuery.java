package io.matchledger.projections.api;

/** "Why am I #N?": a player's total, its entries and rank, and what orders them against their neighbours. */
public record ExplainQuery(String playerId, String seasonId) {}
