package io.matchledger.core;

import io.matchledger.core.personal.PlayerKeys;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The players' keys of a ledger kept in memory, as the domain's tests keep the event store (Axon's in-memory one). */
final class InMemoryPlayerKeys implements PlayerKeys {

    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

    @Override
    public byte[] findOrStore(String playerId, byte[] fresh) {
        return keys.computeIfAbsent(playerId, id -> fresh.clone()).clone();
    }

    @Override
    public Optional<byte[]> find(String playerId) {
        return Optional.ofNullable(keys.get(playerId)).map(byte[]::clone);
    }

    @Override
    public void destroy(String playerId) {
        keys.remove(playerId);
    }
}
