package io.matchledger.core;

import java.util.Objects;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * A cached ledger repository for when several processes write the same store. Axon's cache is per process: a ledger
 * cached here may be behind what another process appended. A write from a stale ledger fails on the store's sequence
 * check anyway, but a decision that writes nothing (refusing an adjustment that "would go below zero", or "name
 * unchanged") would be taken on stale state. So every load costs one indexed look-up of the stream's last sequence
 * number; a stale entry is evicted and the ledger loaded from the store at once, under the lock this command already
 * holds. The command goes on with it instead of failing and waiting for a retry: on a player that several processes
 * write, a stale cache is the rule, and failing each such load cost every one of those commands a wasted round.
 * A writer that appends between this load and this command's commit still loses on the store's key, as before.
 */
final class StoreCheckedRepository<T> extends CachingEventSourcingRepository<T> {

    private final Cache cache;
    private final EventStore eventStore;

    private StoreCheckedRepository(Builder<T> builder) {
        super(builder);
        this.cache = builder.cache();
        this.eventStore = builder.eventStore();
    }

    static <T> Builder<T> checkedBuilder(Class<T> aggregateType) {
        return new Builder<>(aggregateType);
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        Long stored = eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
        if (Objects.equals(aggregate.version(), stored)) {
            return aggregate;
        }
        cache.remove(aggregateIdentifier);
        // Not cached now, so the caching repository loads from the store (snapshot and later events).
        EventSourcedAggregate<T> fresh = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        if (stored != null && (fresh.version() == null || fresh.version() < stored)) {
            throw new ConcurrencyException("The ledger of " + aggregateIdentifier + " loaded at " + fresh.version()
                    + " but the store was at " + stored + "; retrying");
        }
        return fresh;
    }

    static final class Builder<T> extends EventSourcingRepository.Builder<T> {

        private Builder(Class<T> aggregateType) {
            super(aggregateType);
        }

        private Cache cache() {
            return cache;
        }

        private EventStore eventStore() {
            return eventStore;
        }

        @Override
        public StoreCheckedRepository<T> build() {
            return new StoreCheckedRepository<>(this);
        }
    }
}
