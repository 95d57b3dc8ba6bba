package io.matchledger.api.config;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * Axon's aggregate cache on a size-bounded Caffeine map. Axon's own {@code WeakReferenceCache} lets the collector drop
 * a ledger at the next young collection, so under load most commands reloaded both players' streams from the store
 * (three quarters of a command's time, measured with JFR). Here a ledger stays until it is among the least used once
 * {@code maximumSize} ledgers are cached; a ledger is a few hundred bytes, so 100,000 of them take tens of megabytes.
 */
public final class BoundedLedgerCache implements Cache {

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> cache;
    private final ConcurrentMap<Object, Object> entries;
    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();

    public BoundedLedgerCache(long maximumSize) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .executor(Runnable::run) // evict on the writing thread: no extra pool to size
                .removalListener((Object key, Object value, RemovalCause cause) -> {
                    if (cause.wasEvicted()) {
                        listeners.forEach(listener -> listener.onEntryRemoved(key));
                    }
                })
                .build();
        this.entries = cache.asMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        V value = (V) entries.get(key);
        if (value != null) {
            listeners.forEach(listener -> listener.onEntryRead(key, value));
        }
        return value;
    }

    @Override
    public void put(Object key, Object value) {
        Object previous = entries.put(key, value);
        listeners.forEach(
                previous == null
                        ? listener -> listener.onEntryCreated(key, value)
                        : listener -> listener.onEntryUpdated(key, value));
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        boolean added = entries.putIfAbsent(key, value) == null;
        if (added) {
            listeners.forEach(listener -> listener.onEntryCreated(key, value));
        }
        return added;
    }

    @Override
    public boolean remove(Object key) {
        boolean removed = entries.remove(key) != null;
        if (removed) {
            listeners.forEach(listener -> listener.onEntryRemoved(key));
        }
        return removed;
    }

    @Override
    public void removeAll() {
        entries.keySet().forEach(this::remove);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        Object updated = entries.computeIfPresent(key, (k, value) -> update.apply((V) value));
        if (updated != null) {
            listeners.forEach(listener -> listener.onEntryUpdated(key, updated));
        }
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** How many ledgers are in memory now, once pending evictions are done. */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
