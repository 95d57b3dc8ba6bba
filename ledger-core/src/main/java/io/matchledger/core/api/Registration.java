package io.matchledger.core.api;

/** What registering a player did. */
public enum Registration {
    CREATED,
    RENAMED,
    UNCHANGED
}
