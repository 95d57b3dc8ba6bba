package io.matchledger.projections.lifecycle;

/**
 * Published (as a Spring application event) when a rebuilt model has replaced the live one: its rows changed at once,
 * without the processor's token moving, so whoever follows the token to learn of changes must look again.
 */
public record ProjectionRebuilt(String name) {}
