package io.matchledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

class BoundedLedgerCacheTest {

    @Test
    void keepsAtMostItsSizeAndTellsListenersWhatItEvicted() {
        BoundedLedgerCache cache = new BoundedLedgerCache(10);
        List<Object> removed = new ArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryRemoved(Object key) {
                removed.add(key);
            }
        });

        IntStream.range(0, 1_000).forEach(i -> cache.put("player-" + i, i));

        assertThat(cache.size()).isEqualTo(10);
        assertThat(removed).hasSize(990).doesNotHaveDuplicates();
        long kept = IntStream.range(0, 1_000)
                .filter(i -> cache.containsKey("player-" + i))
                .count();
        assertThat(kept).isEqualTo(10);
    }

    @Test
    void behavesAsAxonsRepositoryUsesIt() {
        BoundedLedgerCache cache = new BoundedLedgerCache(100);

        cache.put("amy", "ledger of amy");
        assertThat((String) cache.get("amy")).isEqualTo("ledger of amy");
        assertThat(cache.putIfAbsent("amy", "another")).isFalse();
        assertThat(cache.putIfAbsent("bob", "ledger of bob")).isTrue();
        cache.<String>computeIfPresent("amy", ledger -> ledger + ", updated");
        assertThat((String) cache.get("amy")).isEqualTo("ledger of amy, updated");

        // A rolled-back unit of work removes the ledger it loaded; the next command reloads it from the store.
        assertThat(cache.remove("amy")).isTrue();
        assertThat(cache.remove("amy")).isFalse();
        assertThat((Object) cache.get("amy")).isNull();

        cache.removeAll();
        assertThat(cache.containsKey("bob")).isFalse();
        assertThat(cache.size()).isZero();
    }
}
