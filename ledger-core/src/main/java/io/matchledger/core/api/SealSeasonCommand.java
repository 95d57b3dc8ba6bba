package io.matchledger.core.api;

/** Seals a closed season with what was computed from its events. A second seal with the same digests changes nothing. */
public record SealSeasonCommand(SeasonSeal seal) {}
