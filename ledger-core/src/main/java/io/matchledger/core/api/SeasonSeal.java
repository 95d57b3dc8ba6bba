package io.matchledger.core.api;

/**
 * A closed season's result, fixed: the global range of the events it covers ({@code firstToken} to
 * {@code lastToken}; 0 and 0 when none), how many events and matches, the SHA-256 of those events in the canonical
 * form {@code canonicalForm} names, and the SHA-256 of the final standings (one line per player, by id). How both are
 * computed is in {@code docs/seasons.md}; {@code GET /api/seasons/{id}/proof} gives what recomputing them takes.
 */
public record SeasonSeal(
        String seasonId,
        String canonicalForm,
        long firstToken,
        long lastToken,
        long events,
        long matches,
        String eventsSha256,
        long players,
        String standingsSha256) {}
