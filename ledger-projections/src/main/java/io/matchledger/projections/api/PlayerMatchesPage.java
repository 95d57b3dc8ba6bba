package io.matchledger.projections.api;

import java.util.List;

/** Matches {@code page * size} and on, newest first; {@code total} counts all the player's matches. */
public record PlayerMatchesPage(String playerId, int page, int size, long total, List<PlayerMatch> items) {}
