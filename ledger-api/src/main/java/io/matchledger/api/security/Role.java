package io.matchledger.api.security;

/**
 * What an account may do. The hierarchy (ADMIN &gt; AUDITOR &gt; READER, ADMIN &gt; RECORDER) is in
 * {@link SecurityConfiguration}: an account lists only its highest roles.
 */
public enum Role {
    /** Game servers: register players, record matches. */
    RECORDER,
    /** Dashboards: every read of players, matches and the leaderboard, and the streams. */
    READER,
    /** A reader who may also trace every point: player events and /api/audit. */
    AUDITOR,
    /** Everything, including voids, adjustments and /api/admin. */
    ADMIN
}
