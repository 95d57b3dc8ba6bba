package io.matchledger.api.security;

/**
 * What an account may do. The hierarchy (ADMIN &gt; AUDITOR &gt; READER, ADMIN &gt; RECORDER) is in
 * {@link SecurityConfiguration}: an account lists only its highest roles. {@link #PLAYER} stands outside it.
 */
public enum Role {
    /** Game servers: register players, record matches. */
    RECORDER,
    /** Dashboards: every read of players, matches and the leaderboard, and the streams. */
    READER,
    /** A reader who may also trace every point: player events and /api/audit. */
    AUDITOR,
    /** Everything, including voids, adjustments and /api/admin. */
    ADMIN,
    /**
     * A player on the web: the account's name is their playerId, and they may concede their own losses and declare
     * draws they play in ({@code /api/me/matches}), nothing else. Implied by no other role: an admin is nobody's
     * player.
     */
    PLAYER
}
