package io.matchledger.api.audit;

/**
 * One row of the event store as it is stored: serialized payload and metadata, before any upcaster. {@code token} is
 * the global index, the position in the one order of all events.
 */
public record StoredEvent(
        long token,
        String aggregateType,
        String aggregateId,
        long sequence,
        String eventId,
        String timestamp,
        String payloadType,
        String payloadRevision,
        byte[] payload,
        byte[] metadata) {}
