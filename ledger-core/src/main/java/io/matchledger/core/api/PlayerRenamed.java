package io.matchledger.core.api;

public record PlayerRenamed(String playerId, String name) {}
