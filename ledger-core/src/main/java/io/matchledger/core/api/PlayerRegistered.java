package io.matchledger.core.api;

public record PlayerRegistered(String playerId, String name) {}
